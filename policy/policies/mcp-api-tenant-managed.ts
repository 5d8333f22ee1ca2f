import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { MCP_API_SELECTION_SCHEMA, type McpApiSelection } from "../lib/mcp-apis";
import { withDefaults, type McpStackPolicy } from "../lib/policy-kit";
import { quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";
import { mcpApisInStack, resourcesOfType } from "../lib/stack";
import { describeTenant, tenantOf } from "../lib/tenancy";

const MCP_API_TENANT_MANAGED_POLICY_NAME = "mcp-api-tenant-managed";

interface McpApiTenantManagedConfig extends McpApiSelection {
    /** Where the Tenant resource of this stack's MCP APIs is managed (project/stack), for split layouts. */
    tenantManagedIn?: string;
}

export const mcpApiTenantManaged: McpStackPolicy = {
    name: MCP_API_TENANT_MANAGED_POLICY_NAME,
    description:
        "A stack with MCP APIs should manage their tenant's MCP settings too, or say in policy config which stack does.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: [
        "1. The tenant settings that decide MCP behaviour (resourceParameterProfile above all, DCR, CIMD, default audience) live on the auth0.Tenant resource.",
        "2. Either declare the Tenant (e.g. with the TenantMcpSettings component) in this stack, with the same provider as the APIs,",
        "3. or, for a split layout, set tenantManagedIn in this policy's config to the project/stack that manages the Tenant, and check that stack with this pack too.",
    ].join("\n"),
    configSchema: {
        properties: {
            ...MCP_API_SELECTION_SCHEMA,
            tenantManagedIn: {
                type: "string",
                minLength: 1,
                description: "Project/stack that manages the Tenant of this stack's MCP APIs (split layouts).",
            },
        },
    },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = withDefaults<McpApiTenantManagedConfig>(args.getConfig(), mcpApiTenantManaged.configSchema);
        if (config.tenantManagedIn !== undefined) {
            args.notApplicable(`the tenant is managed in ${config.tenantManagedIn} (policy config tenantManagedIn)`);
        }
        const tenantKeys = new Set(resourcesOfType(args.resources, AUTH0_TYPES.tenant).map(tenantOf));
        for (const { api, identifier } of mcpApisInStack(args.resources, config)) {
            if (tenantKeys.has(tenantOf(api))) continue;
            reportViolation(
                `MCP API "${api.name}" (${quote(identifier)}) belongs to ${describeTenant(tenantOf(api))}, whose Tenant resource is ` +
                    `not in this stack: the settings that decide whether MCP clients can use it (resourceParameterProfile ` +
                    `"compatibility" above all) are not managed here. Declare the Tenant here, or set tenantManagedIn in the ` +
                    `${MCP_API_TENANT_MANAGED_POLICY_NAME} config to the stack that manages it.`,
                api.urn,
            );
        }
    },
};
