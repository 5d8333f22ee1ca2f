/**
 * The shape every rule of the pack has, on top of @pulumi/policy's own types: a fixed enforcement level, a
 * severity and remediation steps (both native `Policy` fields in @pulumi/policy 1.21, so they reach the CLI in
 * `GetAnalyzerInfo` as `PolicyInfo.severity` and `PolicyInfo.remediation_steps`), and, for rules that take
 * settings, the defaults the rule falls back to when the engine sends no config.
 */
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { Auth0Type } from "../facts/resource-types";

interface McpPolicyMetadata {
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    remediationSteps: string;
}

export type McpResourcePolicy = ResourceValidationPolicy & McpPolicyMetadata;
export type McpStackPolicy = StackValidationPolicy & McpPolicyMetadata;
export type McpPolicy = McpResourcePolicy | McpStackPolicy;

export function isStackPolicy(policy: McpPolicy): policy is McpStackPolicy {
    return typeof (policy as McpStackPolicy).validateStack === "function";
}

/** The top-level `default`s of a policy's configSchema, by setting name. */
function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema?.properties ?? {})) {
        if (typeof property === "object" && property !== null && property.default !== undefined)
            defaults[key] = property.default;
    }
    return defaults;
}

/**
 * The CLI applies a policy's schema defaults before calling `Configure`, but `args.getConfig()` returns `{}`
 * when nothing was sent (tests, other engines). Every rule therefore merges its own schema's defaults under what
 * it received, so both paths behave alike and each default is written once, in the schema. `T` is the rule's
 * config interface, which its schema describes.
 */
export function withDefaults<T extends object>(received: object, schema: PolicyConfigSchema | undefined): T {
    const merged = schemaDefaults(schema);
    for (const [key, value] of Object.entries(received)) {
        if (value !== undefined && value !== null) merged[key] = value;
    }
    return merged as T;
}

/**
 * What a rule on one Auth0 type is handed: `type` is that type's token, and `props` (the resource's inputs) are
 * `unknown` values, to be read through lib/fields so an unknown at preview is decided in code, never by a throw.
 */
type Auth0ResourceArgs<T extends Auth0Type> = Omit<ResourceValidationArgs, "type" | "props"> & {
    type: T;
    props: Record<string, unknown>;
};

type Auth0ResourceValidation<T extends Auth0Type> = (
    args: Auth0ResourceArgs<T>,
    reportViolation: ReportViolation,
) => Promise<void> | void;

function isOfType<T extends Auth0Type>(
    args: ResourceValidationArgs,
    type: T,
): args is ResourceValidationArgs & { type: T } {
    return args.type === type;
}

/**
 * A resource validation that runs on one @pulumi/auth0 type only. Like the SDK's `validateResourceOfType`, it
 * carries the type token as `__pulumiType`, so the pack's server skips every other resource before deserializing
 * its properties (@pulumi/policy server.js `makeAnalyzeRpcFun`, the "fast check") — without importing @pulumi/auth0
 * into the pack. Called directly (tests), it checks the type itself.
 */
export function onAuth0Type<T extends Auth0Type>(type: T, validate: Auth0ResourceValidation<T>): ResourceValidation {
    const validation: ResourceValidation = (args, reportViolation) =>
        isOfType(args, type) ? validate(args, reportViolation) : undefined;
    return Object.assign(validation, { __pulumiType: type });
}
