/**
 * The bridged provider's Check, as far as a policy can tell the difference: the engine hands the pack the inputs
 * the provider's Check returned, and a Check failure stops the preview.
 *
 * Mirrors pulumi-terraform-bridge v3.133.0 (the bridge @pulumi/auth0 3.49.0 is built with) pkg/tfbridge/provider.go
 * `Provider.Check`: makeTerraformInputsWithOptions (schema.go `makeTerraformInput`: scalar conversion to the
 * schema's type, `applyDefaults`: Pulumi-side defaults, auto-names and non-falsy Terraform defaults, recorded in
 * `__defaults`), `p.tf.ValidateResource` (Terraform validation: enums, ranges, unknown keys, required nested
 * arguments), then `MakeTerraformOutputs` back to Pulumi values (`CoerceTerraformString` turns "true" into true for a
 * bool attribute). Failures become `CheckFailure`s whose reason ends with "Examine values at '<name>.<path>'."
 * (check_failures.go `NewCheckFailure`).
 */
import { createHash } from "node:crypto";
import type { WireProperties } from "../types";
import type { DefaultRule, EnumRule, ProviderRules, RangeRule } from "./auth0-rules";
import type { PropType, Properties, ResourceSchema } from "./schema";
import { isPlainObject, isSecret, isSigned, isUnknown, mapSecret, unwrapSecret, type Plain } from "./wire";
import { REDACTED } from "../secrets";

interface CheckFailure {
    /** Pulumi property path, e.g. `flags.enableSso` or `grantTypes[1]`. */
    path: string;
    reason: string;
}

interface Checked {
    inputs: WireProperties;
    failures: CheckFailure[];
}

export interface CheckTarget {
    urn: string;
    type: string;
    /** The resource name (last URN component). */
    name: string;
    inputs: WireProperties;
}

/** Reserved key the bridge writes into every object it converts (reservedkeys.Defaults). */
export const DEFAULTS_KEY = "__defaults";

/**
 * @param priorInputs the resource's inputs in prior state (update): an auto-name the bridge generated then is kept
 *                    (applyDefaults reuses an old value listed in the old `__defaults`).
 */
export function providerCheck(
    target: CheckTarget,
    schema: ResourceSchema,
    rules?: ProviderRules,
    priorInputs?: WireProperties,
): Checked {
    const failures: CheckFailure[] = [];
    const ctx: Ctx = { schema, failures };
    const inputs = convertObject(target.inputs, schema.properties, { pulumi: "", tf: "" }, ctx, true) as Plain;
    const defaults = [...(rules?.defaults[target.type] ?? [])];
    const naming = rules?.autonaming;
    const name = schema.properties.get("name");
    if (naming && name?.input && name.type.kind === "string" && inputs["name"] === undefined) {
        const oldDefaults = priorInputs?.[DEFAULTS_KEY];
        const priorName = priorInputs?.["name"];
        const reuse = typeof priorName === "string" && (!Array.isArray(oldDefaults) || oldDefaults.includes("name"));
        const value = reuse ? priorName : autoName(target.urn, target.name, naming.separator, naming.maxLength);
        defaults.push({ path: "name", value, source: naming.source });
    }
    applyDefaults(inputs, defaults);
    for (const rule of rules?.enums[target.type] ?? []) {
        checkEnum(inputs, rule, failures);
    }
    for (const rule of rules?.ranges[target.type] ?? []) {
        checkRange(inputs, rule, failures);
    }
    // The engine strips top-level internal keys before Analyze (rpc.go MarshalProperties SkipInternalKeys, top level
    // only); nested `__defaults` reach the pack.
    delete inputs[DEFAULTS_KEY];
    return {
        inputs,
        failures: failures.map((f) => ({
            path: f.path,
            reason: `${f.reason}. Examine values at '${target.name}.${f.path}'.`,
        })),
    };
}

/**
 * The preview error for failed Checks, worded as the engine prints them (pkg/resource/deploy/step_generator.go
 * `issueCheckFailures` with sdk/go/common/diag/errors.go `GetResourceInvalidError`: "%v resource '%v' has a
 * problem: %v"), one line per failure.
 */
export function checkFailureMessage(target: Pick<CheckTarget, "type" | "name">, failures: CheckFailure[]): string {
    return failures.map((f) => `${target.type} resource '${target.name}' has a problem: ${f.reason}`).join("\n");
}

/**
 * The bridge's auto-name: `<name><separator><7 random hex>` (tfbridge/info/autonaming.go `ComputeAutoNameDefault`,
 * `resource.NewUniqueName`). The suffix is random per create; here it is derived from the URN so runs are repeatable.
 */
export function autoName(urn: string, name: string, separator: string, maxLength: number): string {
    const suffix = createHash("sha256").update(urn).digest("hex").slice(0, 7);
    return `${name}${separator}${suffix}`.slice(0, Math.max(maxLength, 0) || undefined);
}

interface Ctx {
    schema: ResourceSchema;
    failures: CheckFailure[];
}

interface At {
    pulumi: string;
    tf: string;
    /** Under a secret: messages must not quote the value. */
    secret?: boolean;
}

function child(at: At, key: string, isObject: boolean): At {
    return {
        pulumi: at.pulumi ? `${at.pulumi}.${key}` : key,
        tf: at.tf ? `${at.tf}${isObject ? ".0" : ""}.${tfName(key)}` : tfName(key),
        secret: at.secret,
    };
}

/** Pulumi → Terraform attribute name by the bridge's default mangling (camelCase → snake_case). */
function tfName(pulumiName: string): string {
    return pulumiName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function convertObject(value: Plain, props: Properties, at: At, ctx: Ctx, topLevel: boolean): Plain {
    const out: Plain = {};
    for (const [key, v] of Object.entries(value)) {
        if (key.startsWith("__") || v === null) {
            // Reserved keys are ignored (schema.go makeObjectTerraformInputs); nulls are dropped when Check
            // unmarshals its news (provider.go `Check`: UnmarshalProperties SkipNulls, nested objects too).
            continue;
        }
        const p = props.get(key);
        const here = child(at, key, !topLevel);
        if (!p) {
            // The SDK only sends declared top-level properties; a nested key the schema lacks fails validation.
            if (!topLevel) {
                ctx.failures.push({ path: here.pulumi, reason: `${here.tf}: Invalid or unknown key` });
            }
            out[key] = v;
            continue;
        }
        out[key] = convert(v, p.type, here, ctx);
    }
    for (const [key, p] of props) {
        if (!topLevel && p.required && out[key] === undefined) {
            const here = child(at, key, true);
            ctx.failures.push({ path: here.pulumi, reason: `${here.tf}: required field is not set` });
        }
    }
    out[DEFAULTS_KEY] = [];
    return out;
}

function convert(v: unknown, type: PropType, at: At, ctx: Ctx): unknown {
    if (v === null || v === undefined || isUnknown(v)) {
        return v;
    }
    if (isSecret(v)) {
        return mapSecret(v, (inner) => convert(inner, type, { ...at, secret: true }, ctx));
    }
    if (isSigned(v)) {
        return v; // assets, archives
    }
    switch (type.kind) {
        case "string":
            return stringFromScalar(v);
        case "number":
            return typeof v === "string" ? numberFromString(v, at, ctx) : v;
        case "boolean":
            return typeof v === "string" ? booleanFromString(v, at, ctx) : v;
        case "array":
            return Array.isArray(v) ? convertArray(v, type.items, at, ctx) : v;
        case "map":
            return isPlainObject(v) ? convertMap(v, type.values, at, ctx) : v;
        case "object": {
            const props = ctx.schema.objectType(type.name);
            return props && isPlainObject(v) ? convertObject(v, props, at, ctx, false) : v;
        }
        default:
            return v;
    }
}

/** A boolean or number given for a string attribute, as its string. */
function stringFromScalar(v: unknown): unknown {
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return formatFloat(v);
    return v;
}

function numberFromString(v: string, at: At, ctx: Ctx): unknown {
    // makeTerraformInput: strconv.ParseInt(s, 10, 64) for an int attribute; a float attribute's string
    // reaches Terraform, which parses it with strconv.ParseFloat. The declarations cannot tell int from
    // float, so any decimal number is accepted (never stricter than the provider).
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) && v.trim() === v) return Number(v);
    ctx.failures.push({
        path: at.pulumi,
        reason: `${at.tf}: strconv.ParseFloat: parsing ${quote(v, at)}: invalid syntax (expected a number)`,
    });
    return v;
}

function booleanFromString(v: string, at: At, ctx: Ctx): unknown {
    // The string reaches Terraform, which decodes it with strconv.ParseBool (empty = false); the output
    // conversion (CoerceTerraformString) turns it into a boolean.
    const b = parseBool(v);
    if (b !== undefined) return b;
    ctx.failures.push({
        path: at.pulumi,
        reason: `${at.tf}: cannot parse ${quote(v, at)} as bool (accepted: true, false, 1, 0, t, f, TRUE, FALSE, True, False)`,
    });
    return v;
}

function convertArray(v: unknown[], items: PropType, at: At, ctx: Ctx): unknown[] {
    return v.map((e, i) =>
        convert(e, items, { pulumi: `${at.pulumi}[${i}]`, tf: `${at.tf}.${i}`, secret: at.secret }, ctx),
    );
}

function convertMap(v: Plain, values: PropType, at: At, ctx: Ctx): Plain {
    return Object.fromEntries(
        Object.entries(v)
            .filter(([, e]) => e !== null)
            .map(([k, e]) => [
                k,
                convert(e, values, { pulumi: `${at.pulumi}.${k}`, tf: `${at.tf}.${k}`, secret: at.secret }, ctx),
            ]),
    );
}

/**
 * Go's strconv.ParseBool, as CoerceTerraformString applies it to the checked inputs. "" is valid to Terraform (weak
 * decoding reads it as false) but ParseBool refuses it, so the checked input stays "" (the planned state has false).
 */
function parseBool(s: string): boolean | string | undefined {
    if (s === "") return "";
    if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
    if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
    return undefined;
}

function quote(v: string, at: At): string {
    return at.secret ? REDACTED : JSON.stringify(v);
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest decimal, never an exponent. */
export function formatFloat(n: number): string {
    if (!Number.isFinite(n)) return String(n);
    if (Number.isInteger(n)) return BigInt(n).toString();
    const s = String(n);
    if (!s.includes("e")) return s;
    const [mant, expS] = s.split("e");
    const exp = Number(expS);
    const neg = mant.startsWith("-");
    const digits = mant.replace("-", "").replace(".", "");
    const point = mant.replace("-", "").indexOf(".");
    const intLen = (point === -1 ? mant.replace("-", "").length : point) + exp;
    const body =
        intLen <= 0
            ? `0.${"0".repeat(-intLen)}${digits}`
            : digits.padEnd(intLen, "0").slice(0, intLen) + (digits.length > intLen ? `.${digits.slice(intLen)}` : "");
    return (neg ? "-" : "") + body;
}

/** Adds each default whose parent object is present and known and whose property is absent. */
function applyDefaults(inputs: Plain, rules: DefaultRule[]): void {
    for (const rule of rules) {
        const segs = rule.path.split(".");
        const key = segs[segs.length - 1];
        for (const parent of objectsAt(inputs, segs.slice(0, -1))) {
            if (parent[key] === undefined) {
                parent[key] = rule.value;
                const recorded = Array.isArray(parent[DEFAULTS_KEY]) ? (parent[DEFAULTS_KEY] as string[]) : [];
                parent[DEFAULTS_KEY] = [...recorded, key].sort();
            }
        }
    }
}

function objectsAt(root: Plain, segs: string[]): Plain[] {
    let level: Plain[] = [root];
    for (const seg of segs) {
        const next: Plain[] = [];
        for (const o of level) {
            const v = unwrapSecret(o[seg]);
            if (isPlainObject(v) && !isSigned(v)) next.push(v);
        }
        level = next;
    }
    return level;
}

/**
 * Every known value at a rule path (`a.b`, `a[]`), with its Pulumi path, Terraform key and whether it sits under a
 * secret (a message then says "[secret]" instead of the value).
 */
function valuesAt(
    inputs: Plain,
    rulePath: string,
    tfTemplate: string,
): Array<{ value: unknown; shown: string; path: string; tf: string }> {
    type Item = { value: unknown; secret: boolean; path: string; indexes: number[] };
    let level: Item[] = [{ value: inputs, secret: false, path: "", indexes: [] }];
    for (const raw of rulePath.split(".")) {
        const each = raw.endsWith("[]");
        const seg = each ? raw.slice(0, -2) : raw;
        const next: Item[] = [];
        for (const item of level) {
            const obj = unwrapSecret(item.value);
            if (!isPlainObject(obj)) continue;
            const secret = item.secret || isSecret(item.value) || isSecret(obj[seg]);
            const v = unwrapSecret(obj[seg]);
            const path = item.path ? `${item.path}.${seg}` : seg;
            if (each) {
                if (Array.isArray(v))
                    v.forEach((e, i) =>
                        next.push({
                            value: unwrapSecret(e),
                            secret: secret || isSecret(e),
                            path: `${path}[${i}]`,
                            indexes: [...item.indexes, i],
                        }),
                    );
            } else if (v !== undefined && v !== null) {
                next.push({ value: v, secret, path, indexes: item.indexes });
            }
        }
        level = next;
    }
    return level
        .filter((l) => !isUnknown(l.value))
        .map((l) => {
            let i = 0;
            return {
                value: l.value,
                shown: l.secret ? REDACTED : String(l.value),
                path: l.path,
                tf: tfTemplate.replace(/#/g, () => String(l.indexes[i++] ?? 0)),
            };
        });
}

/** helper/validation StringInSlice: "expected %s to be one of %q, got %s". */
function checkEnum(inputs: Plain, rule: EnumRule, failures: CheckFailure[]): void {
    for (const { value, shown, path, tf } of valuesAt(inputs, rule.path, rule.tf)) {
        if (typeof value !== "string") continue;
        const ok = rule.values.some((a) => a === value || (rule.ignoreCase && a.toLowerCase() === value.toLowerCase()));
        if (!ok) {
            const quoted = rule.values.map((a) => JSON.stringify(a)).join(" ");
            failures.push({ path, reason: `expected ${tf} to be one of [${quoted}], got ${shown}` });
        }
    }
}

/**
 * helper/validation IntBetween "expected %s to be in the range (%d - %d), got %d", IntAtLeast "expected %s to be at
 * least (%d), got %d", FloatAtLeast "expected %s to be at least (%f), got %f" (Go %f: six decimals).
 */
/** How the provider's validators word a range rule's bound (at least one of min and max is set). */
function boundText(rule: RangeRule, fmt: (n: number) => string): string {
    if (rule.min !== undefined && rule.max !== undefined) return `in the range (${fmt(rule.min)} - ${fmt(rule.max)})`;
    if (rule.min !== undefined) return `at least (${fmt(rule.min)})`;
    if (rule.max !== undefined) return `at most (${fmt(rule.max)})`;
    throw new Error(`range rule for ${rule.path} has no bound`);
}

function checkRange(inputs: Plain, rule: RangeRule, failures: CheckFailure[]): void {
    const fmt = (n: number) => (rule.kind === "float" ? n.toFixed(6) : String(n));
    for (const { value, shown, path, tf } of valuesAt(inputs, rule.path, rule.tf)) {
        if (
            typeof value !== "number" ||
            ((rule.min === undefined || value >= rule.min) && (rule.max === undefined || value <= rule.max))
        ) {
            continue;
        }
        failures.push({
            path,
            reason: `expected ${tf} to be ${boundText(rule, fmt)}, got ${shown === REDACTED ? shown : fmt(value)}`,
        });
    }
}
