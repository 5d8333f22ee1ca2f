import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { withDefaults, type McpStackPolicy } from "../lib/policy-kit";
import { nonEmptyString, quote } from "../lib/props";
import { AUTH0_TYPES } from "../lib/resource-types";
import { resourcesOfType } from "../lib/stack";

export const RESOURCE_PARAMETER_POLICY_NAME = "resource-parameter-compatibility";

export interface ResourceParameterConfig {
  /** Identifiers of APIs that are not MCP servers; they do not make the compatibility profile necessary. */
  exemptIdentifiers: string[];
}

const DEFAULTS: ResourceParameterConfig = { exemptIdentifiers: [] };

export const resourceParameterCompatibility: McpStackPolicy = {
  name: RESOURCE_PARAMETER_POLICY_NAME,
  description:
    "A tenant serving MCP APIs must accept the RFC 8707 resource parameter as the audience (resourceParameterProfile compatibility).",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: [
    "1. Set resourceParameterProfile: \"compatibility\" on the Tenant, so Auth0 uses the resource parameter MCP clients send as the audience.",
    "2. Only a tenant with exactly one MCP API may rely on defaultAudience instead, and only when defaultAudience equals that API's identifier exactly (see default-audience-requires-validation).",
    "3. APIs that are not MCP servers can be listed in this policy's exemptIdentifiers config.",
  ].join("\n"),
  configSchema: {
    properties: {
      exemptIdentifiers: {
        type: "array",
        description: "Exact identifiers of APIs that are not MCP servers.",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
        default: [],
      },
    },
  },
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const config = withDefaults(args.getConfig<Partial<ResourceParameterConfig>>(), DEFAULTS);
    const tenants = resourcesOfType(args.resources, AUTH0_TYPES.tenant);
    if (tenants.length === 0) {
      args.notApplicable("no auth0 Tenant in this stack; the stack that manages the Tenant is checked instead");
    }
    const mcpApis = resourcesOfType(args.resources, AUTH0_TYPES.resourceServer)
      .map((api) => ({ api, identifier: nonEmptyString(api.props.identifier) }))
      .filter((entry) => entry.identifier === undefined || !config.exemptIdentifiers.includes(entry.identifier));
    if (mcpApis.length === 0) args.notApplicable("no MCP API (ResourceServer) in this stack");

    for (const tenant of tenants) {
      const profile = nonEmptyString(tenant.props.resourceParameterProfile);
      if (profile?.trim().toLowerCase() === "compatibility") continue;
      const audience = nonEmptyString(tenant.props.defaultAudience);
      if (audience !== undefined && mcpApis.length === 1 && mcpApis[0].identifier === audience) continue;

      const apiList = mcpApis.map((entry) => `"${entry.api.name}" (${quote(entry.identifier)})`).join(", ");
      const audienceNote =
        audience === undefined
          ? "and sets no defaultAudience"
          : `and its defaultAudience ${quote(audience)} can stand in for only one MCP API, named exactly`;
      reportViolation(
        `Tenant "${tenant.name}" has resourceParameterProfile ${quote(profile)} ${audienceNote}, while this stack ` +
          `declares MCP API(s) ${apiList}. MCP clients send the RFC 8707 resource parameter, not audience, so Auth0 ` +
          `would issue opaque /userinfo tokens or tokens for the wrong API. Set resourceParameterProfile: "compatibility".`,
        tenant.urn,
      );
    }
  },
};
