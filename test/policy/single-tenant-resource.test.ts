import { describe, expect, it } from "vitest";
import { singleTenantResource as policy } from "../../policy/policies/single-tenant-resource";
import { devStack, resourceServer, tenant } from "./fixtures";
import { runStackPolicy } from "./helpers";

describe("single-tenant-resource", () => {
    it("lets one Tenant, or none, through", async () => {
        expect((await runStackPolicy(policy, devStack())).violations).toEqual([]);
        expect((await runStackPolicy(policy, [resourceServer()])).violations).toEqual([]);
    });

    it("blocks two Tenant resources and names both", async () => {
        const outcome = await runStackPolicy(policy, [tenant({}, "main"), tenant({ defaultAudience: "x" }, "shadow")]);
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("single-tenant-resource");
        expect(outcome.violations[0].message).toContain("This stack declares 2 auth0 Tenant resources");
        expect(outcome.violations[0].message).toContain(`"main"`);
        expect(outcome.violations[0].message).toContain(`delete "shadow"`);
        expect(outcome.violations[0].urn).toContain("::shadow");
    });

    it("allows one Tenant per explicit provider (several tenants in one stack) but not two for the same provider", async () => {
        const other = tenant({}, "eu");
        other.provider = "urn:pulumi:test::auth0-mcp::pulumi:providers:auth0::eu-tenant";
        expect((await runStackPolicy(policy, [tenant({}, "us"), other])).violations).toEqual([]);
        const twin = tenant({}, "eu-twin");
        twin.provider = other.provider;
        const outcome = await runStackPolicy(policy, [tenant({}, "us"), other, twin]);
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].message).toContain(`2 auth0 Tenant resources for provider ${other.provider}`);
    });
});
