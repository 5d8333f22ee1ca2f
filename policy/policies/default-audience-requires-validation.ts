import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import {
  DEFAULT_TOKEN_VALIDATION_LIMITS,
  tokenValidationLimitsSchema,
  tokenValidationProblems,
  type TokenValidationLimits,
} from "../lib/api-validation";
import { withDefaults, type McpStackPolicy } from "../lib/policy-kit";
import { nonEmptyString, quote } from "../lib/props";
import { AUTH0_TYPES } from "../lib/resource-types";
import { resourcesOfType } from "../lib/stack";

export const DEFAULT_AUDIENCE_POLICY_NAME = "default-audience-requires-validation";

/** An API declared in another stack, with the token settings that stack gives it (the documented policy). */
export interface ExternalApi {
  identifier: string;
  /** The Pulumi project/stack (or other system) that manages this API. */
  managedIn: string;
  signingAlg: string;
  tokenDialect: string;
  tokenLifetime: number;
  tokenEncryption?: boolean;
}

export interface DefaultAudienceConfig extends TokenValidationLimits {
  externalApis: ExternalApi[];
}

const DEFAULTS: DefaultAudienceConfig = { ...DEFAULT_TOKEN_VALIDATION_LIMITS, externalApis: [] };

/** Same value once case and trailing slashes are ignored, but not identical: the classic near miss. */
function isNearMiss(a: string, b: string): boolean {
  const loose = (value: string) => value.trim().replace(/\/+$/, "").toLowerCase();
  return a !== b && loose(a) === loose(b);
}

function checkTenant(
  tenant: PolicyResource,
  apis: PolicyResource[],
  config: DefaultAudienceConfig,
  reportViolation: ReportViolation,
): void {
  const audience = nonEmptyString(tenant.props.defaultAudience);
  if (audience === undefined) return;
  const where = `Tenant "${tenant.name}" sets defaultAudience ${quote(audience)}`;
  const limits: TokenValidationLimits = config;

  const declared = apis.map((api) => ({ api, identifier: nonEmptyString(api.props.identifier) }));
  const inStack = declared.find((entry) => entry.identifier === audience);
  if (inStack) {
    const problems = tokenValidationProblems(
      {
        signingAlg: inStack.api.props.signingAlg,
        tokenDialect: inStack.api.props.tokenDialect,
        tokenLifetime: inStack.api.props.tokenLifetime,
        tokenEncryption: inStack.api.props.tokenEncryption,
      },
      limits,
    );
    if (problems.length > 0) {
      reportViolation(
        `${where}, but its ResourceServer "${inStack.api.name}" issues tokens a resource server cannot validate: ` +
          `${problems.join("; ")}. Every app in the tenant gets this audience by default, so fix the ResourceServer ` +
          `settings or remove defaultAudience and use resourceParameterProfile "compatibility" instead.`,
        tenant.urn,
      );
    }
    return;
  }

  const external = config.externalApis.find((api) => api.identifier === audience);
  if (external) {
    const problems = tokenValidationProblems(
      {
        signingAlg: external.signingAlg,
        tokenDialect: external.tokenDialect,
        tokenLifetime: external.tokenLifetime,
        tokenEncryption: external.tokenEncryption === true,
      },
      limits,
    );
    if (problems.length > 0) {
      reportViolation(
        `${where}, which the policy config declares as an API managed in ${quote(external.managedIn)}, but the ` +
          `declared settings do not allow token validation: ${problems.join("; ")}. Fix the API in that stack and ` +
          `update externalApis in the ${DEFAULT_AUDIENCE_POLICY_NAME} policy config.`,
        tenant.urn,
      );
    }
    return;
  }

  const nearMisses = [
    ...declared
      .filter((entry) => entry.identifier !== undefined && isNearMiss(audience, entry.identifier))
      .map((entry) => `ResourceServer "${entry.api.name}" identifier ${quote(entry.identifier)}`),
    ...config.externalApis
      .filter((api) => isNearMiss(audience, api.identifier))
      .map((api) => `externalApis entry identifier ${quote(api.identifier)}`),
  ];
  if (nearMisses.length > 0) {
    reportViolation(
      `${where}, which does not match ${nearMisses.join(" or ")} exactly (they differ only in case or a trailing ` +
        `slash). Auth0 issues tokens with aud ${quote(audience)}, which the MCP server will reject or which no API ` +
        `defines. Set defaultAudience to exactly the ResourceServer identifier.`,
      tenant.urn,
    );
    return;
  }
  reportViolation(
    `${where}, but no ResourceServer in this stack has that exact identifier and the policy config's externalApis ` +
      `does not declare it. Declare the ResourceServer in this stack, or add it to externalApis in the ` +
      `${DEFAULT_AUDIENCE_POLICY_NAME} config with its identifier, managedIn, signingAlg, tokenDialect and ` +
      `tokenLifetime, or remove defaultAudience.`,
    tenant.urn,
  );
}

export const defaultAudienceRequiresValidation: McpStackPolicy = {
  name: DEFAULT_AUDIENCE_POLICY_NAME,
  description:
    "A tenant default audience must name, exactly, an API whose tokens a resource server can validate.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: [
    "1. Compare the Tenant's defaultAudience with the ResourceServer identifier character by character (case, trailing slash) and make them identical.",
    "2. Give that ResourceServer an asymmetric signingAlg (RS256 or PS256), an explicit JWT tokenDialect such as rfc9068_profile_authz, no tokenEncryption and a tokenLifetime within the configured maximum.",
    "3. If the API lives in another stack, add it to this policy's externalApis config with its identifier, managedIn, signingAlg, tokenDialect and tokenLifetime.",
    "4. Prefer removing defaultAudience and setting resourceParameterProfile to \"compatibility\": the default audience applies to every app in the tenant.",
  ].join("\n"),
  configSchema: {
    properties: {
      ...tokenValidationLimitsSchema("Largest accepted tokenLifetime of the default-audience API, in seconds."),
      externalApis: {
        type: "array",
        description: "APIs managed in other stacks that a default audience may name, with their token settings.",
        default: [],
        items: {
          type: "object",
          additionalProperties: false,
          required: ["identifier", "managedIn", "signingAlg", "tokenDialect", "tokenLifetime"],
          properties: {
            identifier: { type: "string", minLength: 1 },
            managedIn: { type: "string", minLength: 1, description: "Project/stack that manages the API." },
            signingAlg: { type: "string", minLength: 1 },
            tokenDialect: { type: "string", minLength: 1 },
            tokenLifetime: { type: "integer", minimum: 1 },
            tokenEncryption: { type: "boolean", default: false },
          },
        },
      },
    },
  },
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const config = withDefaults(args.getConfig<Partial<DefaultAudienceConfig>>(), DEFAULTS);
    const tenants = resourcesOfType(args.resources, AUTH0_TYPES.tenant);
    const apis = resourcesOfType(args.resources, AUTH0_TYPES.resourceServer);
    for (const tenant of tenants) checkTenant(tenant, apis, config, reportViolation);
  },
};
