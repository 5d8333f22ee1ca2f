import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { DEFAULT_TOKEN_VALIDATION_LIMITS, tokenValidationLimitsSchema, tokenValidationProblems, type TokenValidationLimits } from "../lib/api-validation";
import { canonicalizeResourceUri } from "../lib/canonical-uri";
import { withDefaults, type McpResourcePolicy } from "../lib/policy-kit";
import { nonEmptyString, quote } from "../lib/props";
import { AUTH0_TYPES } from "../lib/resource-types";
import { isAuthzTokenDialect } from "../lib/token-settings";

export const MCP_API_TOKEN_SETTINGS_POLICY_NAME = "mcp-api-token-settings";

export interface McpApiTokenSettingsConfig extends TokenValidationLimits {
  /** Identifiers of APIs in the tenant that are not MCP servers (e.g. `urn:legacy-api`); they are skipped. */
  exemptIdentifiers: string[];
  /** Accept `http://localhost` identifiers (local development tenants only). */
  allowLocalhostHttp: boolean;
}

const DEFAULTS: McpApiTokenSettingsConfig = {
  ...DEFAULT_TOKEN_VALIDATION_LIMITS,
  exemptIdentifiers: [],
  allowLocalhostHttp: false,
};

function identifierProblems(identifier: string | undefined, allowLocalhostHttp: boolean): string[] {
  if (identifier === undefined) return ["identifier is not set"];
  const result = canonicalizeResourceUri(identifier, { allowLocalhostHttp });
  if (result.canonical === undefined) {
    return [`identifier ${quote(identifier)} is not a usable MCP resource URI: ${result.problems.join(", ")}`];
  }
  if (result.problems.length > 0 || result.canonical !== identifier) {
    const why = result.problems.length > 0 ? result.problems.join(", ") : "is not in canonical form";
    return [
      `identifier ${quote(identifier)} ${why}; MCP clients send the canonical URI as the resource parameter, so use ` +
        `${quote(result.canonical)} (the identifier is immutable: changing it replaces the API)`,
    ];
  }
  return [];
}

export const mcpApiTokenSettings: McpResourcePolicy = {
  name: MCP_API_TOKEN_SETTINGS_POLICY_NAME,
  description:
    "Every MCP API must have a canonical https identifier and issue short-lived, asymmetrically signed JWTs that its server can validate.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: [
    "1. Set identifier to the MCP server's canonical URI: https, lowercase host, no trailing slash, no fragment (e.g. https://mcp.example.com/mcp).",
    "2. Set signingAlg to RS256 or PS256 (never HS256) and tokenDialect explicitly, e.g. rfc9068_profile_authz.",
    "3. With an *_authz dialect, set enforcePolicies: true so the permissions claim is filled.",
    "4. Set tokenLifetime (and tokenLifetimeForWeb, if used) to at most maxTokenLifetimeSeconds; remove tokenEncryption.",
    "5. If the API is not an MCP server, list its identifier in this policy's exemptIdentifiers config.",
  ].join("\n"),
  configSchema: {
    properties: {
      ...tokenValidationLimitsSchema("Largest accepted tokenLifetime and tokenLifetimeForWeb, in seconds."),
      exemptIdentifiers: {
        type: "array",
        description: "Exact identifiers of APIs that are not MCP servers; this policy skips them.",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
        default: [],
      },
      allowLocalhostHttp: {
        type: "boolean",
        description: "Accept http://localhost identifiers (local development tenants only).",
        default: false,
      },
    },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== AUTH0_TYPES.resourceServer) return;
    const config = withDefaults(args.getConfig<Partial<McpApiTokenSettingsConfig>>(), DEFAULTS);
    const identifier = nonEmptyString(args.props.identifier);
    if (identifier !== undefined && config.exemptIdentifiers.includes(identifier)) return;

    const problems = identifierProblems(identifier, config.allowLocalhostHttp);
    problems.push(
      ...tokenValidationProblems(
        {
          signingAlg: args.props.signingAlg,
          tokenDialect: args.props.tokenDialect,
          tokenLifetime: args.props.tokenLifetime,
          tokenEncryption: args.props.tokenEncryption,
        },
        config,
      ),
    );
    const dialect = nonEmptyString(args.props.tokenDialect);
    if (dialect !== undefined && isAuthzTokenDialect(dialect) && args.props.enforcePolicies !== true) {
      problems.push(
        `tokenDialect ${quote(dialect)} carries a permissions claim that Auth0 only fills when RBAC is on; set enforcePolicies: true`,
      );
    }
    const webLifetime = args.props.tokenLifetimeForWeb;
    if (typeof webLifetime === "number" && webLifetime > config.maxTokenLifetimeSeconds) {
      problems.push(`tokenLifetimeForWeb ${webLifetime} exceeds the maximum of ${config.maxTokenLifetimeSeconds} seconds`);
    }
    if (problems.length > 0) {
      reportViolation(
        `ResourceServer "${args.name}" (identifier ${quote(identifier)}): ${problems.join("; ")}. If this API is not ` +
          `an MCP server, add its identifier to exemptIdentifiers in the ${MCP_API_TOKEN_SETTINGS_POLICY_NAME} config.`,
      );
    }
  },
};
