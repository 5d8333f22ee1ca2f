/**
 * The shape every rule of the pack has, on top of @pulumi/policy's own types: a fixed enforcement level, a
 * severity and remediation steps (both native `Policy` fields in @pulumi/policy 1.21, so they reach the CLI in
 * `GetAnalyzerInfo` as `PolicyInfo.severity` and `PolicyInfo.remediation_steps`), and, for rules that take
 * settings, the defaults the rule falls back to when the engine sends no config.
 */
import type {
  EnforcementLevel,
  ResourceValidation,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Auth0Type } from "./resource-types";

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

/**
 * The CLI applies a policy's schema defaults before calling `Configure`, but `args.getConfig()` returns `{}`
 * when nothing was sent (tests, other engines). Every rule therefore merges its own defaults, the same values
 * its `configSchema` declares, so both paths behave alike.
 */
export function withDefaults<T extends object>(received: object, defaults: T): T {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(received)) {
    if (value !== undefined && value !== null) merged[key] = value;
  }
  return merged as T;
}

/**
 * A resource validation that runs on one @pulumi/auth0 type only. Like the SDK's `validateResourceOfType`, it
 * carries the type token as `__pulumiType`, so the pack's server skips every other resource before deserializing
 * its properties (@pulumi/policy server.js `makeAnalyzeRpcFun`, the "fast check") — without importing @pulumi/auth0
 * into the pack. Called directly (tests), it checks the type itself.
 */
export function onAuth0Type(type: Auth0Type, validate: ResourceValidation): ResourceValidation {
  const validation: ResourceValidation = (args, reportViolation) => (args.type === type ? validate(args, reportViolation) : undefined);
  return Object.assign(validation, { __pulumiType: type });
}
