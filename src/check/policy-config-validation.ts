/**
 * Emulates what the Pulumi CLI does with `--policy-pack-config <file>` before it calls the pack's `Configure`
 * (pulumi/pkg/resource/analyzer/config.go: parsePolicyPackConfig + ReconcilePolicyPackConfig):
 *
 * 1. each entry is an enforcement level string or an object whose optional `enforcementLevel` must be valid;
 * 2. every policy starts from its own enforcement level and its schema's top-level `default`s;
 * 3. the pack's own initial config (GetAnalyzerInfo's `initialConfig`), if any, is applied, then the file; each
 *    layer applies `"all": "<level>"` to every policy first (advisory ones included), then each policy's own entry,
 *    which overrides the level and merges its properties over what is there;
 * 4. each policy's properties are validated against `{type: "object", properties, required}` and every problem is
 *    reported as `<policy>: <key>: <message>` (keys as dotted paths, `allowedSigningAlgs.0`, like the CLI's).
 *
 * The CLI ignores entries for unknown policies and unknown property keys; `strict: true` reports both (typos).
 * This is the one implementation: the offline checker (src/check/policy-config.ts) and the tests use it.
 * It lives with the checker, not in the pack: the pack never runs it, and ajv is not a dependency of the pack.
 */
import Ajv, { type ErrorObject } from "ajv";
import type { EnforcementLevel } from "@pulumi/policy";
import { semanticConfigProblems } from "../../policy/facts";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** What configuration needs to know about a policy: a `Policy` of this pack, or GetAnalyzerInfo's description. */
interface PolicyConfigInfo {
    name: string;
    enforcementLevel?: EnforcementLevel;
    configSchema?: { properties?: Record<string, unknown>; required?: string[] };
}

/** One entry of a policy pack config, parsed: `"disabled"` → `{enforcementLevel: "disabled", properties: {}}`. */
export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    /** The properties `Configure` would send: schema defaults overlaid with the initial config and the file. */
    properties: Record<string, unknown>;
}

/**
 * What can be wrong with a policy pack config:
 * - `document`: the config is not a JSON object;
 * - `entry`: an entry is neither a level string nor an object;
 * - `enforcement-level`: an invalid level (`key` is `enforcementLevel` when given inside an object);
 * - `unknown-policy`, `unknown-key`: names no policy / no setting of the policy (strict mode only);
 * - `value`: a setting fails the policy's configSchema;
 * - `schema`: the policy's configSchema itself does not compile (a fault of the pack, not of the config).
 */
type ConfigIssueKind =
    "document" | "entry" | "enforcement-level" | "unknown-policy" | "unknown-key" | "value" | "schema";

export interface ConfigIssue {
    kind: ConfigIssueKind;
    /** The entry concerned (a policy name, or `all`); absent for the document as a whole. */
    policy?: string;
    /** The setting concerned, as a dotted path; absent when the issue is about the whole entry. */
    key?: string;
    /** What is wrong, e.g. `must be array`. */
    message: string;
}

interface PackConfigResult {
    /** Per policy name; empty when `errors` is not. */
    policies: Record<string, ResolvedPolicyConfig>;
    /** Each names the policy and the key, e.g. `cimd-client-governance: allowedMetadataDomains: must be array`. */
    errors: string[];
    /** The same problems, structured, in the same order. */
    issues: ConfigIssue[];
}

interface ConfigValidationOptions {
    /** Also reject unknown policy names and property keys, which the CLI silently ignores. Default false. */
    strict?: boolean;
    /**
     * The pack's own initial config (GetAnalyzerInfo's `initialConfig`), applied before the file like the CLI does.
     * Trusted: only the file's names and keys are checked in strict mode.
     */
    initialConfig?: Record<string, PolicyConfigEntry>;
}

/** `<policy>: <key>: <message>`, `<policy>: <message>` or `(root): <message>`. */
function formatConfigIssue(issue: ConfigIssue): string {
    return `${issue.policy ?? "(root)"}: ${issue.key !== undefined ? `${issue.key}: ` : ""}${issue.message}`;
}

/** The policy's config with every top-level schema `default` filled in where `config` has no value. */
export function applyConfigDefaults(
    schema: PolicyConfigInfo["configSchema"],
    config: Record<string, unknown> = {},
): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema?.properties ?? {})) {
        if (typeof property === "object" && property !== null && "default" in property) {
            result[key] = structuredClone((property as { default: unknown }).default);
        }
    }
    return { ...result, ...config };
}

const ajv = new Ajv({ allErrors: true, strict: false });

function describeAjvError(policy: string, error: ErrorObject): ConfigIssue {
    const path = error.instancePath
        .split("/")
        .filter((step) => step !== "")
        .join(".");
    if (error.keyword === "required") {
        const missing = (error.params as { missingProperty: string }).missingProperty;
        return { kind: "value", policy, key: missing, message: `is required${path ? ` in ${path}` : ""}` };
    }
    if (error.keyword === "additionalProperties") {
        const extra = (error.params as { additionalProperty: string }).additionalProperty;
        return {
            kind: "value",
            policy,
            key: `${path ? `${path}.` : ""}${extra}`,
            message: "is not an allowed property",
        };
    }
    const allowed =
        error.keyword === "enum" ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
    return { kind: "value", policy, key: path || "(root)", message: `${error.message ?? "is invalid"}${allowed}` };
}

/** The file's keys that name no setting of the policy. */
function unknownKeys(policy: PolicyConfigInfo, given: Record<string, unknown>): ConfigIssue[] {
    const known = new Set(Object.keys(policy.configSchema?.properties ?? {}));
    return Object.keys(given)
        .filter((key) => !known.has(key))
        .map((key) => ({ kind: "unknown-key", policy: policy.name, key, message: "is not a setting of this policy" }));
}

/** Validates complete properties (defaults already applied) against the policy's configSchema, like the CLI. */
function schemaIssues(policy: PolicyConfigInfo, properties: Record<string, unknown>): ConfigIssue[] {
    const schema = policy.configSchema;
    if (!schema) return [];
    let validate;
    try {
        validate = ajv.compile({
            type: "object",
            // @pulumi/policy reserves `enforcementLevel` (a schema may not declare it; Configure sets it from the level),
            // so a property of that name can only be a valid level.
            properties: { ...schema.properties, enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] } },
            ...(schema.required && schema.required.length > 0 ? { required: schema.required } : {}),
        });
    } catch (e) {
        const text = e instanceof Error ? e.message : String(e);
        return [
            { kind: "schema", policy: policy.name, message: `has an invalid configSchema: ${text.split("\n")[0]}` },
        ];
    }
    return validate(properties) ? [] : (validate.errors ?? []).map((error) => describeAjvError(policy.name, error));
}

/**
 * The schema's verdict, then — for settings the schema accepts — the checks JSON schema cannot express (a public
 * suffix in an allowlist, a pin that pins nothing: policy/facts/config-semantics.ts), as `value` issues.
 */
function settingIssues(policy: PolicyConfigInfo, properties: Record<string, unknown>): ConfigIssue[] {
    const fromSchema = schemaIssues(policy, properties);
    if (fromSchema.length > 0) return fromSchema;
    return semanticConfigProblems(policy.name, properties).map((problem) => ({
        kind: "value" as const,
        policy: policy.name,
        key: problem.key,
        message: problem.message,
    }));
}

/**
 * Validates one policy's properties (defaults already applied, or not) against its configSchema, the way the CLI
 * does. Returns the config with defaults applied and the errors, each starting with `<policyName>: <key>:`.
 */
export function validatePolicyConfig(
    policy: PolicyConfigInfo,
    config: Record<string, unknown> = {},
    options: Pick<ConfigValidationOptions, "strict"> = {},
): { config: Record<string, unknown>; errors: string[] } {
    const withDefaults = applyConfigDefaults(policy.configSchema, config);
    const issues = [...(options.strict ? unknownKeys(policy, config) : []), ...settingIssues(policy, withDefaults)];
    return { config: withDefaults, errors: issues.map(formatConfigIssue) };
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/**
 * Parses a whole `--policy-pack-config` document (parsed JSON; `undefined`/`null` is `{}`) into entries, the way
 * the CLI does before it knows the pack's policies. An invalid entry is left out and reported.
 */
export function parsePackConfig(packConfig: unknown): {
    entries: Record<string, PolicyConfigEntry>;
    issues: ConfigIssue[];
} {
    const entries: Record<string, PolicyConfigEntry> = {};
    const issues: ConfigIssue[] = [];
    if (packConfig === undefined || packConfig === null) return { entries, issues };
    if (typeof packConfig !== "object" || Array.isArray(packConfig)) {
        return { entries, issues: [{ kind: "document", message: "the policy pack config must be a JSON object" }] };
    }
    for (const [name, value] of Object.entries(packConfig as Record<string, unknown>)) {
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                issues.push({
                    kind: "enforcement-level",
                    policy: name,
                    message: `"${value}" is not a valid enforcement level`,
                });
            } else {
                entries[name] = { enforcementLevel: value, properties: {} };
            }
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                issues.push({
                    kind: "enforcement-level",
                    policy: name,
                    key: "enforcementLevel",
                    message: `${JSON.stringify(enforcementLevel)} is not a valid enforcement level`,
                });
                continue;
            }
            entries[name] = { ...(enforcementLevel !== undefined ? { enforcementLevel } : {}), properties };
        } else {
            issues.push({ kind: "entry", policy: name, message: "must be an enforcement level string or an object" });
        }
    }
    return { entries, issues };
}

/** One layer of config (initial config or file) over the current state, `all` first. */
function applyLayer(result: Record<string, ResolvedPolicyConfig>, layer: Record<string, PolicyConfigEntry>): void {
    const allLevel = layer.all?.enforcementLevel;
    if (allLevel) {
        for (const config of Object.values(result)) config.enforcementLevel = allLevel;
    }
    for (const [name, entry] of Object.entries(layer)) {
        const target = name === "all" ? undefined : result[name];
        if (!target) continue;
        if (entry.enforcementLevel) target.enforcementLevel = entry.enforcementLevel;
        Object.assign(target.properties, entry.properties);
    }
}

/**
 * Resolves parsed entries (see {@link parsePackConfig}) against the pack's policies: defaults, the initial config,
 * the entries, then validation. `packEnforcementLevel` is the level of a policy that declares none.
 */
export function reconcilePackConfig(
    policies: readonly PolicyConfigInfo[],
    given: Record<string, PolicyConfigEntry>,
    packEnforcementLevel: EnforcementLevel = "advisory",
    options: ConfigValidationOptions = {},
): PackConfigResult {
    const issues: ConfigIssue[] = [];
    if (options.strict) {
        const known = new Set(policies.map((policy) => policy.name));
        for (const [name, entry] of Object.entries(given)) {
            if (name === "all") {
                for (const key of Object.keys(entry.properties)) {
                    issues.push({
                        kind: "unknown-key",
                        policy: name,
                        key,
                        message: `is not a setting of "all", which only takes an enforcementLevel`,
                    });
                }
            } else if (!known.has(name)) {
                issues.push({ kind: "unknown-policy", policy: name, message: "is not a policy of this pack" });
            }
        }
    }

    const resolved: Record<string, ResolvedPolicyConfig> = {};
    for (const policy of policies) {
        resolved[policy.name] = {
            enforcementLevel: policy.enforcementLevel ?? packEnforcementLevel,
            properties: applyConfigDefaults(policy.configSchema),
        };
    }
    if (options.initialConfig) applyLayer(resolved, options.initialConfig);
    applyLayer(resolved, given);

    for (const policy of policies) {
        if (options.strict) issues.push(...unknownKeys(policy, given[policy.name]?.properties ?? {}));
        issues.push(...settingIssues(policy, resolved[policy.name]?.properties ?? {}));
    }
    const errors = issues.map(formatConfigIssue);
    return issues.length > 0 ? { policies: {}, errors, issues } : { policies: resolved, errors, issues };
}

/** Resolves a whole `--policy-pack-config` document (parsed JSON) against the pack's policies. */
export function resolvePackConfig(
    policies: readonly PolicyConfigInfo[],
    packConfig: unknown,
    packEnforcementLevel: EnforcementLevel = "advisory",
    options: ConfigValidationOptions = {},
): PackConfigResult {
    const parsed = parsePackConfig(packConfig);
    if (parsed.issues.some((issue) => issue.kind === "document")) {
        return { policies: {}, errors: parsed.issues.map(formatConfigIssue), issues: parsed.issues };
    }
    const result = reconcilePackConfig(policies, parsed.entries, packEnforcementLevel, options);
    const issues = [...parsed.issues, ...result.issues];
    const errors = issues.map(formatConfigIssue);
    return issues.length > 0 ? { policies: {}, errors, issues } : { ...result, errors, issues };
}
