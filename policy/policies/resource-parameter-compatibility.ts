import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { describeUnknown, knownString, normalized, readOutput } from "../lib/fields";
import { MCP_API_SELECTION_SCHEMA, type McpApiSelection } from "../lib/mcp-apis";
import { withDefaults, type McpStackPolicy } from "../lib/policy-kit";
import { quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";
import { mcpApisInStack, resourcesOfType } from "../lib/stack";
import { sameTenant } from "../lib/tenancy";

const RESOURCE_PARAMETER_POLICY_NAME = "resource-parameter-compatibility";

type ResourceParameterConfig = McpApiSelection;

export const resourceParameterCompatibility: McpStackPolicy = {
    name: RESOURCE_PARAMETER_POLICY_NAME,
    description:
        "A tenant serving MCP APIs must accept the RFC 8707 resource parameter as the audience (resourceParameterProfile compatibility).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        '1. Set resourceParameterProfile: "compatibility" on the Tenant, explicitly (Auth0\'s default is "audience"), so Auth0 uses the resource parameter MCP clients send as the audience.',
        "2. Only a tenant with exactly one MCP API in the stack may rely on defaultAudience instead, and only when defaultAudience equals that API's identifier exactly (see default-audience-requires-validation).",
        "3. A tenant managed in a stack of its own (no APIs here) is checked all the same: it serves the MCP APIs of other stacks.",
        "4. APIs that are not MCP servers: name the MCP APIs in this policy's mcpApiIdentifiers config, or list the others in exemptIdentifiers.",
    ].join("\n"),
    configSchema: { properties: { ...MCP_API_SELECTION_SCHEMA } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = withDefaults<ResourceParameterConfig>(
            args.getConfig(),
            resourceParameterCompatibility.configSchema,
        );
        const tenants = resourcesOfType(args.resources, AUTH0_TYPES.tenant);
        if (tenants.length === 0) {
            args.notApplicable("no auth0 Tenant in this stack; the stack that manages the Tenant is checked instead");
        }
        const apis = mcpApisInStack(args.resources, config);

        for (const tenant of tenants) {
            const mcpApis = apis.filter((entry) => sameTenant(entry.api, tenant));
            const profile = readOutput(tenant, "resourceParameterProfile");
            if (profile.state === "set" && normalized(profile.value) === "compatibility") continue;
            if (profile.state === "unknown" && profile.cause === "from-resource") {
                reportViolation(
                    `Tenant "${tenant.name}": ${describeUnknown("resourceParameterProfile", profile)}; write resourceParameterProfile: "compatibility".`,
                    tenant.urn,
                );
                continue;
            }
            const audienceRead = readOutput(tenant, "defaultAudience");
            const audience = knownString(audienceRead);
            if (audience !== undefined && mcpApis.length === 1 && mcpApis[0].identifier === audience) continue;

            const profileText =
                profile.state === "set" ? quote(profile.value) : `not set (Auth0's default is "audience")`;
            const apiList =
                mcpApis.length > 0
                    ? `this stack declares MCP API(s) ${mcpApis.map((e) => `"${e.api.name}" (${quote(e.identifier)})`).join(", ")}`
                    : "this stack declares no MCP API, so the tenant serves the MCP APIs of other stacks";
            const audienceNote =
                audience === undefined
                    ? "and no defaultAudience stands in for it"
                    : `and its defaultAudience ${quote(audience)} can stand in for only one MCP API of this stack, named exactly`;
            reportViolation(
                `Tenant "${tenant.name}" has resourceParameterProfile ${profileText} ${audienceNote}, while ${apiList}. MCP ` +
                    `clients send the RFC 8707 resource parameter, not audience, so Auth0 would issue opaque /userinfo tokens or ` +
                    `tokens for the wrong API. Set resourceParameterProfile: "compatibility".`,
                tenant.urn,
            );
        }
    },
};
