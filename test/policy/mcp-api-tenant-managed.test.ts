import { describe, expect, it } from "vitest";
import { mcpApiTenantManaged as policy } from "../../policy/policies/mcp-api-tenant-managed";
import { resourceServer, tenant, thirdPartyGrant } from "./fixtures";
import { runStackPolicy } from "./helpers";

describe("mcp-api-tenant-managed", () => {
    it("lets a stack through that manages the Tenant of its MCP APIs", async () => {
        expect((await runStackPolicy(policy, [tenant(), resourceServer()])).violations).toEqual([]);
    });

    it("says (advisory) that an MCP API's tenant settings are not managed in an APIs-only stack", async () => {
        const outcome = await runStackPolicy(policy, [resourceServer(), thirdPartyGrant()]);
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("mcp-api-tenant-managed");
        expect(outcome.violations[0].enforcementLevel).toBe("advisory");
        expect(outcome.violations[0].message).toContain(`MCP API "mcp-api"`);
        expect(outcome.violations[0].message).toContain("set tenantManagedIn");
    });

    it("is not applicable once config says where the tenant is managed", async () => {
        const outcome = await runStackPolicy(policy, [resourceServer()], {
            config: { tenantManagedIn: "acme/auth0-tenant/prod" },
        });
        expect(outcome.violations).toEqual([]);
        expect(outcome.notApplicable).toContain("acme/auth0-tenant/prod");
    });

    it("does not count a Tenant of another provider", async () => {
        const other = tenant();
        other.provider = "urn:pulumi:test::auth0-mcp::pulumi:providers:auth0::other";
        expect((await runStackPolicy(policy, [other, resourceServer()])).violations).toHaveLength(1);
    });
});
