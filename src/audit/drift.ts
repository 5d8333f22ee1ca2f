/**
 * Drift between what a stack declares (the program run offline, as `auth0-mcp check` runs it) and the live tenant,
 * for the settings the policy pack cares about. Two kinds matter:
 *
 * - `changed`: the program sets a value and the tenant holds another (someone changed it in the dashboard).
 * - `undeclared`: the program leaves a setting out and the tenant holds a non-default value. Tenant settings are
 *   Optional+Computed in the provider, so a value left out of code is never reverted (a default audience set in the
 *   dashboard, a connection promoted by hand).
 *
 * A program value that is unknown offline (taken from another resource) cannot be compared: it is reported as
 * `unknown`, never treated as equal.
 */
import { AUTH0_TYPES } from "../../policy/facts";
import { isSecretValue, REDACTED } from "../check/secrets";
import { UNKNOWN } from "../check/provider/wire";
import type { RecordedResource } from "../check/types";
import type { LiveStack } from "./resources";

export interface DriftEntry {
    kind: "changed" | "undeclared" | "missing" | "unknown";
    type: string;
    /** The object in the tenant (its audit URN), or the program's resource when it is missing from the tenant. */
    urn: string;
    /** The program's resource, when it declares one. */
    declaredBy: string | null;
    /** Dotted @pulumi/auth0 property path. */
    property: string;
    declared: string | null;
    live: string | null;
    message: string;
}

type Read = { state: "set"; value: unknown } | { state: "unset" } | { state: "unknown" };

function isUnknown(v: unknown): boolean {
    return typeof v === "string" && v === UNKNOWN;
}

/** A dotted path of a wire property map (program inputs or live state). */
function readWire(props: Record<string, unknown>, path: string): Read {
    let current: unknown = props;
    for (const step of path.split(".")) {
        if (isSecretValue(current)) current = current.value;
        if (isUnknown(current)) return { state: "unknown" };
        if (typeof current !== "object" || current === null || Array.isArray(current)) return { state: "unset" };
        current = (current as Record<string, unknown>)[step];
    }
    if (isUnknown(current)) return { state: "unknown" };
    return current === undefined || current === null ? { state: "unset" } : { state: "set", value: current };
}

function show(read: Read, secret = false): string | null {
    if (read.state !== "set") return null;
    if (secret) return REDACTED;
    return typeof read.value === "string" ? read.value : JSON.stringify(read.value);
}

/** A value that differs from Auth0's default for a setting: a non-empty string, true, a non-empty list or object. */
function notable(read: Read): boolean {
    if (read.state !== "set") return false;
    const v = read.value;
    if (typeof v === "string") return v.trim() !== "";
    if (typeof v === "boolean") return v;
    if (Array.isArray(v)) return v.length > 0;
    return typeof v === "number" || (typeof v === "object" && v !== null && Object.keys(v).length > 0);
}

interface Setting {
    path: string;
    /** Compare without case (the provider accepts enum values case-insensitively, e.g. tokenDialect). */
    caseless?: boolean;
    /** Report a live value the program leaves out. */
    undeclared?: boolean;
}

const TENANT_SETTINGS: readonly Setting[] = [
    { path: "defaultAudience", undeclared: true },
    { path: "resourceParameterProfile", undeclared: true },
    { path: "clientIdMetadataDocumentSupported", undeclared: true },
    { path: "dynamicClientRegistrationSecurityMode", undeclared: true },
    { path: "flags.enableDynamicClientRegistration", undeclared: true },
    { path: "flags.enableClientConnections", undeclared: true },
    { path: "flags.removeAlgFromJwks", undeclared: true },
    { path: "flags.useScopeDescriptionsForConsent" },
];

const RESOURCE_SERVER_SETTINGS: readonly Setting[] = [
    { path: "signingAlg", caseless: true },
    { path: "tokenDialect", caseless: true },
    { path: "tokenLifetime" },
    { path: "enforcePolicies" },
    { path: "subjectTypeAuthorization.user.policy" },
    { path: "subjectTypeAuthorization.client.policy" },
    { path: "tokenEncryption.format" },
];

const CONNECTION_SETTINGS: readonly Setting[] = [
    { path: "isDomainConnection", undeclared: true },
    { path: "strategy", caseless: true },
    { path: "metadata.mcp_owner" },
    { path: "metadata.mcp_approval_ref" },
];

function same(a: unknown, b: unknown, caseless: boolean): boolean {
    if (caseless && typeof a === "string" && typeof b === "string")
        return a.trim().toLowerCase() === b.trim().toLowerCase();
    // Booleans and numbers as the provider coerces them ("true" → true, "3600" → 3600).
    if (typeof a !== typeof b && (typeof a === "string" || typeof b === "string")) return String(a) === String(b);
    return JSON.stringify(a) === JSON.stringify(b);
}

function compare(
    type: string,
    declared: RecordedResource | undefined,
    live: RecordedResource,
    settings: readonly Setting[],
    label: string,
): DriftEntry[] {
    const out: DriftEntry[] = [];
    const declaredProps = declared?.inputs ?? {};
    const secretPaths = new Set(declared ? collectSecretPaths(declared.inputs) : []);
    for (const s of settings) {
        const d = readWire(declaredProps, s.path);
        const l = readWire(live.outputs, s.path);
        const secret = secretPaths.has(s.path.split(".")[0]);
        const base = {
            type,
            urn: live.urn,
            declaredBy: declared?.urn ?? null,
            property: s.path,
            declared: show(d, secret),
            live: show(l, secret),
        };
        if (d.state === "unknown") {
            out.push({
                ...base,
                kind: "unknown",
                message: `${label}: ${s.path} is taken from another resource in the program, so it cannot be compared offline (the tenant holds ${base.live ?? "no value"})`,
            });
        } else if (d.state === "set") {
            if (l.state !== "set" || !same(d.value, l.value, s.caseless ?? false)) {
                out.push({
                    ...base,
                    kind: "changed",
                    message: `${label}: the program sets ${s.path} to ${base.declared} but the tenant holds ${base.live ?? "no value"}; someone changed it outside the program, or the stack is not deployed`,
                });
            }
        } else if (s.undeclared && notable(l)) {
            out.push({
                ...base,
                kind: "undeclared",
                message: `${label}: the tenant holds ${s.path} = ${base.live} but the program ${declared ? "does not set it" : "does not declare this object"}, so it was set outside the program and will never be reverted; declare the intended value in the program`,
            });
        }
    }
    return out;
}

function collectSecretPaths(props: Record<string, unknown>): string[] {
    return Object.entries(props)
        .filter(([, v]) => isSecretValue(v))
        .map(([k]) => k);
}

function stringAt(r: RecordedResource, path: string): string | undefined {
    const read = readWire(r.inputs, path);
    return read.state === "set" && typeof read.value === "string" ? read.value : undefined;
}

/** Drift of the tenant, its APIs and its connections against the program's resources. */
export function findDrift(program: RecordedResource[], live: LiveStack): DriftEntry[] {
    // Tenant-wide settings and trust decisions are the business of the stack that declares the Tenant; a stack
    // without one (the tenant is managed elsewhere) is only compared on the objects it declares.
    const declaredTenant = ofType(program, AUTH0_TYPES.tenant)[0];
    return [
        ...tenantDrift(declaredTenant, live),
        ...resourceServerDrift(program, live),
        ...connectionDrift(program, live),
        ...(declaredTenant ? undeclaredPromotedConnections(program, live) : []),
    ];
}

function ofType(rs: RecordedResource[], type: string): RecordedResource[] {
    return rs.filter((r) => r.type === type);
}

/** The tenant's objects of one type by the string at `key` in their state. */
function liveByKey(live: LiveStack, type: string, key: string): Map<string | undefined, RecordedResource> {
    return new Map(ofType(live.resources, type).map((r) => [stringAt(r, key), r]));
}

function tenantDrift(declaredTenant: RecordedResource | undefined, live: LiveStack): DriftEntry[] {
    const liveTenant = ofType(live.resources, AUTH0_TYPES.tenant)[0];
    if (!liveTenant || !declaredTenant) return [];
    return compare(AUTH0_TYPES.tenant, declaredTenant, liveTenant, TENANT_SETTINGS, `Tenant ${live.stack}`);
}

/** Each declared API against the tenant's API of the same identifier. */
function resourceServerDrift(program: RecordedResource[], live: LiveStack): DriftEntry[] {
    const liveApis = liveByKey(live, AUTH0_TYPES.resourceServer, "identifier");
    return ofType(program, AUTH0_TYPES.resourceServer).flatMap((d) => {
        const identifier = stringAt(d, "identifier");
        const l = identifier !== undefined ? liveApis.get(identifier) : undefined;
        if (!l) return [missing(AUTH0_TYPES.resourceServer, d, "identifier", identifier, `ResourceServer "${d.name}"`)];
        return compare(AUTH0_TYPES.resourceServer, d, l, RESOURCE_SERVER_SETTINGS, `ResourceServer ${identifier}`);
    });
}

/** Each declared connection against the tenant's connection of the same name. */
function connectionDrift(program: RecordedResource[], live: LiveStack): DriftEntry[] {
    const liveConnections = liveByKey(live, AUTH0_TYPES.connection, "name");
    return ofType(program, AUTH0_TYPES.connection).flatMap((d) => {
        const name = declaredConnectionName(d);
        const l = liveConnections.get(name);
        if (!l) return [missing(AUTH0_TYPES.connection, d, "name", name, `Connection "${d.name}"`)];
        return compare(AUTH0_TYPES.connection, d, l, CONNECTION_SETTINGS, `Connection ${name}`);
    });
}

function declaredConnectionName(d: RecordedResource): string {
    return stringAt(d, "name") ?? d.name;
}

/** A connection promoted in the tenant that the stack does not declare at all: promoted by hand, or by another stack. */
function undeclaredPromotedConnections(program: RecordedResource[], live: LiveStack): DriftEntry[] {
    const declaredNames = new Set(ofType(program, AUTH0_TYPES.connection).map(declaredConnectionName));
    const drift: DriftEntry[] = [];
    for (const [name, l] of liveByKey(live, AUTH0_TYPES.connection, "name")) {
        if (name === undefined || declaredNames.has(name)) continue;
        const promoted = readWire(l.outputs, "isDomainConnection");
        if (promoted.state === "set" && promoted.value === true) {
            drift.push(
                ...compare(
                    AUTH0_TYPES.connection,
                    undefined,
                    l,
                    [{ path: "isDomainConnection", undeclared: true }],
                    `Connection ${name}`,
                ),
            );
        }
    }
    return drift;
}

function missing(type: string, d: RecordedResource, key: string, value: string | undefined, label: string): DriftEntry {
    return {
        kind: value === undefined ? "unknown" : "missing",
        type,
        urn: d.urn,
        declaredBy: d.urn,
        property: key,
        declared: value ?? null,
        live: null,
        message:
            value === undefined
                ? `${label}: its ${key} is unknown offline (taken from another resource), so it cannot be matched with the tenant`
                : `${label}: the program declares ${key} ${JSON.stringify(value)} but the tenant has none; the stack is not deployed, or it was deleted outside the program`,
    };
}
