/**
 * One way for every rule to read a resource field, with the unknown case made explicit.
 *
 * @pulumi/policy wraps `props` in a proxy that throws `UnknownValueError` when a rule reads a value that is unknown
 * at preview. Left uncaught, the pack's server turns that into an *advisory* "can't run policy … during preview",
 * even for a mandatory rule. Rules therefore read through these helpers and decide, per field, in code:
 *
 * - A resource policy sees **inputs** (after the provider's Check): a field the program did not set is absent; an
 *   unknown value was taken from another resource's output.
 * - A stack policy sees **outputs**: at the preview of a new resource, a computed field the program did not set is
 *   unknown too. The engine also sends each resource's property dependencies, which tell the two apart: a value set
 *   from another resource depends on it; a computed value the program left unset depends on nothing.
 */
import { UnknownValueError, type PolicyResource } from "@pulumi/policy";
import { MIN_TOKEN_LIFETIME_SECONDS, lifetimeBoundsProblem } from "../facts/token-settings";

export type FieldRead =
    | { state: "set"; value: unknown }
    /** Absent or null: the program did not set it. */
    | { state: "unset" }
    /**
     * Unknown at preview. `from-resource`: taken from another resource's output (names those resources when known).
     * `computed`: an output the provider computes because the program did not set it (stack policies only).
     */
    | { state: "unknown"; cause: "from-resource" | "computed"; from: string[] };

type Props = Record<string, unknown>;

function isRecord(value: unknown): value is Props {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a dotted path (`flags.enableDynamicClientRegistration`); `undefined` marks "unknown somewhere on the way". */
function readPath(props: Props, path: string): { value: unknown } | undefined {
    let current: unknown = props;
    try {
        for (const step of path.split(".")) {
            if (!isRecord(current)) return { value: undefined };
            current = current[step];
        }
        // A list is read whole by the rules: touch every element so an unknown inside one is seen here. An object is
        // not: its members are read by path (`tokenEncryption.format`), each with its own state.
        if (Array.isArray(current)) touch(current);
    } catch (error) {
        if (error instanceof UnknownValueError) return undefined;
        throw error;
    }
    return { value: current };
}

function touch(value: unknown): void {
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) touch(value[i]);
    } else if (isRecord(value)) {
        for (const key of Object.keys(value)) touch(value[key]);
    }
}

function settled(found: { value: unknown }): FieldRead {
    return found.value === undefined || found.value === null
        ? { state: "unset" }
        : { state: "set", value: found.value };
}

/** A field of a resource policy's inputs (`args.props`): unknown always means "from another resource". */
export function readInput(props: Props, path: string): FieldRead {
    const found = readPath(props, path);
    return found ? settled(found) : { state: "unknown", cause: "from-resource", from: [] };
}

/** A field of a stack policy's resource outputs, telling a computed-but-unset value from one taken from a resource. */
export function readOutput(resource: PolicyResource, path: string): FieldRead {
    const found = readPath(resource.props, path);
    if (found) return settled(found);
    const top = path.split(".")[0] ?? path;
    const deps = resource.propertyDependencies?.[top] ?? [];
    return deps.length > 0
        ? { state: "unknown", cause: "from-resource", from: deps.map((dep) => dep.urn) }
        : { state: "unknown", cause: "computed", from: [] };
}

/** The value when it is a known string; undefined when unset, unknown or of another type. */
export function knownString(read: FieldRead): string | undefined {
    return read.state === "set" && typeof read.value === "string" ? read.value : undefined;
}

/** How a message says why a field could not be judged. */
export function describeUnknown(path: string, read: Extract<FieldRead, { state: "unknown" }>): string {
    if (read.cause === "computed") {
        return `${path} is not set by the program, so its value is whatever the tenant holds (unknown until deployed)`;
    }
    const from = read.from.length > 0 ? ` (${read.from.join(", ")})` : "";
    return `${path} is taken from another resource's output${from}, which is unknown until that resource is deployed`;
}

/**
 * Boolean switches are judged as Auth0 would act on them after any coercion: only `false` (or a string Go's
 * strconv.ParseBool reads as false) is off. A string such as "true" or "yes", a number or an object counts as on,
 * so a typed-wrong value can never slip a switch past a rule.
 */
const FALSE_STRINGS = new Set(["false", "0", "f", "False", "FALSE", "F"]);

export function isOn(value: unknown): boolean {
    if (value === undefined || value === null || value === false) return false;
    if (typeof value === "string") return !FALSE_STRINGS.has(value.trim());
    return true;
}

/** A string compared without case or surrounding space, or undefined for anything that is not a string. */
export function normalized(value: unknown): string | undefined {
    return typeof value === "string" ? value.trim().toLowerCase() : undefined;
}

/** Problems with a token lifetime in seconds; empty when it is an integer within [min, max]. */
export function lifetimeProblems(
    field: string,
    value: unknown,
    max: number,
    min = MIN_TOKEN_LIFETIME_SECONDS,
): string[] {
    switch (lifetimeBoundsProblem(value, { min, max })) {
        case undefined:
            return [];
        case "not-a-number":
            return [
                `${field} ${describeValue(value)} is not a number of seconds; set it to an integer from ${min} to ${max}`,
            ];
        case "not-whole":
            return [`${field} ${String(value)} is not a whole number of seconds; use an integer from ${min} to ${max}`];
        case "below-min":
            return [
                `${field} ${String(value)} is below ${min} seconds (0 or a negative value is not a lifetime); use ${min} to ${max}`,
            ];
        case "above-max":
            return [`${field} ${String(value)} exceeds the maximum of ${max} seconds`];
    }
}

function describeValue(value: unknown): string {
    if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    if (value === undefined || value === null) return "(not set)";
    return typeof value === "object" ? "(an object)" : String(value);
}
