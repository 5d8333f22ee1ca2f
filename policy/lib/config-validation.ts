/**
 * Emulates what the Pulumi CLI does with `--policy-pack-config <file>` before it calls the pack's `Configure`
 * (pulumi/pkg/resource/analyzer/config.go: parsePolicyPackConfig + ReconcilePolicyPackConfig):
 *
 * 1. each entry is an enforcement level string or an object whose optional `enforcementLevel` must be valid;
 * 2. every policy starts from its own enforcement level and its schema's top-level `default`s;
 * 3. `"all": "<level>"` overrides the level of every policy, advisory ones included;
 * 4. a policy's own entry overrides the level and merges its properties over the defaults;
 * 5. each policy's properties are validated against `{type: "object", properties, required}` and every error is
 *    reported as `<policy>: <key>: <message>`.
 *
 * The CLI ignores entries for unknown policies and unknown property keys; `strict: true` reports both (typos).
 * Not imported by the pack itself (it needs ajv); tests and the offline checker use it.
 */
import Ajv, { type ErrorObject } from "ajv";
import type { EnforcementLevel, Policy, PolicyConfigSchema } from "@pulumi/policy";

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface ResolvedPolicyConfig {
  enforcementLevel: EnforcementLevel;
  /** The properties `Configure` would send: schema defaults overlaid with the file's values. */
  properties: Record<string, unknown>;
}

export interface PackConfigResult {
  /** Per policy name; empty when `errors` is not. */
  policies: Record<string, ResolvedPolicyConfig>;
  /** Each names the policy and the key, e.g. `cimd-client-governance: allowedMetadataDomains: must be array`. */
  errors: string[];
}

export interface ConfigValidationOptions {
  /** Also reject unknown policy names and property keys, which the CLI silently ignores. Default false. */
  strict?: boolean;
}

type PolicyLike = Pick<Policy, "name" | "enforcementLevel" | "configSchema">;

/** The policy's config with every top-level schema `default` filled in where `config` has no value. */
export function applyConfigDefaults(
  schema: PolicyConfigSchema | undefined,
  config: Record<string, unknown> = {},
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (typeof property === "object" && property !== null && "default" in property) {
      result[key] = structuredClone(property.default);
    }
  }
  return { ...result, ...config };
}

const ajv = new Ajv({ allErrors: true, strict: false });

function describeAjvError(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .filter((step) => step !== "")
    .join(".");
  if (error.keyword === "required") {
    return `${(error.params as { missingProperty: string }).missingProperty}: is required${path ? ` in ${path}` : ""}`;
  }
  if (error.keyword === "additionalProperties") {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `${path ? `${path}.` : ""}${extra}: is not an allowed property`;
  }
  const allowed =
    error.keyword === "enum" ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
  return `${path || "(root)"}: ${error.message ?? "is invalid"}${allowed}`;
}

/**
 * Validates one policy's properties (defaults already applied, or not) against its configSchema, the way the CLI
 * does. Returns the config with defaults applied and the errors, each starting with `<policyName>: <key>:`.
 */
export function validatePolicyConfig(
  policy: PolicyLike,
  config: Record<string, unknown> = {},
  options: ConfigValidationOptions = {},
): { config: Record<string, unknown>; errors: string[] } {
  const withDefaults = applyConfigDefaults(policy.configSchema, config);
  const errors: string[] = [];
  const schema = policy.configSchema;
  if (schema) {
    const validate = ajv.compile({
      type: "object",
      properties: schema.properties,
      ...(schema.required && schema.required.length > 0 ? { required: schema.required } : {}),
    });
    if (!validate(withDefaults)) {
      errors.push(...(validate.errors ?? []).map((error) => `${policy.name}: ${describeAjvError(error)}`));
    }
  }
  if (options.strict) {
    const known = new Set(Object.keys(schema?.properties ?? {}));
    for (const key of Object.keys(config)) {
      if (!known.has(key)) errors.push(`${policy.name}: ${key}: is not a setting of this policy`);
    }
  }
  return { config: withDefaults, errors };
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** Resolves a whole `--policy-pack-config` document (parsed JSON) against the pack's policies. */
export function resolvePackConfig(
  policies: readonly PolicyLike[],
  packConfig: unknown,
  packEnforcementLevel: EnforcementLevel = "advisory",
  options: ConfigValidationOptions = {},
): PackConfigResult {
  const errors: string[] = [];
  if (packConfig === undefined || packConfig === null) packConfig = {};
  if (typeof packConfig !== "object" || Array.isArray(packConfig)) {
    return { policies: {}, errors: ["(root): the policy pack config must be a JSON object"] };
  }

  const given: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> = {};
  for (const [name, value] of Object.entries(packConfig as Record<string, unknown>)) {
    if (typeof value === "string") {
      if (!isEnforcementLevel(value)) errors.push(`${name}: "${value}" is not a valid enforcement level`);
      else given[name] = { enforcementLevel: value, properties: {} };
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
        errors.push(`${name}: enforcementLevel: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
        continue;
      }
      given[name] = { enforcementLevel, properties };
    } else {
      errors.push(`${name}: must be an enforcement level string or an object`);
    }
  }
  const known = new Set(policies.map((policy) => policy.name));
  if (options.strict) {
    for (const name of Object.keys(given)) {
      if (name !== "all" && !known.has(name)) errors.push(`${name}: is not a policy of this pack`);
    }
  }

  const resolved: Record<string, ResolvedPolicyConfig> = {};
  const allLevel = given.all?.enforcementLevel;
  for (const policy of policies) {
    const entry = given[policy.name];
    const enforcementLevel =
      entry?.enforcementLevel ?? allLevel ?? policy.enforcementLevel ?? packEnforcementLevel;
    const checked = validatePolicyConfig(policy, entry?.properties ?? {}, options);
    errors.push(...checked.errors);
    resolved[policy.name] = { enforcementLevel, properties: checked.config };
  }
  return errors.length > 0 ? { policies: {}, errors } : { policies: resolved, errors };
}
