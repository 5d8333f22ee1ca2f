import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { type McpStackPolicy } from "../lib/policy-kit";
import { AUTH0_TYPES } from "../facts/resource-types";
import { resourcesOfType } from "../lib/stack";
import { describeTenant, tenantOf } from "../lib/tenancy";

const SINGLE_TENANT_POLICY_NAME = "single-tenant-resource";

export const singleTenantResource: McpStackPolicy = {
    name: SINGLE_TENANT_POLICY_NAME,
    description:
        "A stack may declare at most one auth0 Tenant resource per tenant (provider), because the tenant's settings are a singleton.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "1. Keep exactly one auth0.Tenant resource for the tenant and merge the settings of the others into it.",
        "2. Stacks that only add APIs, clients or connections need no Tenant resource at all; leave the tenant to the stack that owns it.",
        "3. Removing a Tenant resource from code does not reset its settings in Auth0; review them after the merge.",
    ].join("\n"),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        // One Tenant per provider: several tenants in one stack through explicit providers are fine.
        const byTenant = new Map<string, PolicyResource[]>();
        for (const tenant of resourcesOfType(args.resources, AUTH0_TYPES.tenant)) {
            const key = tenantOf(tenant);
            byTenant.set(key, [...(byTenant.get(key) ?? []), tenant]);
        }
        for (const [key, tenants] of byTenant) {
            if (tenants.length <= 1) continue;
            const names = tenants.map((tenant) => `"${tenant.name}" (${tenant.urn})`).join(", ");
            for (const tenant of tenants.slice(1)) {
                reportViolation(
                    `This stack declares ${tenants.length} auth0 Tenant resources for ${describeTenant(key)}: ${names}. Tenant ` +
                        `settings are a singleton per tenant, so these resources overwrite each other on every update and the last ` +
                        `writer wins. Merge them into one Tenant resource and delete "${tenant.name}" (a Tenant of another tenant ` +
                        `needs its own explicit auth0 provider).`,
                    tenant.urn,
                );
            }
        }
    },
};
