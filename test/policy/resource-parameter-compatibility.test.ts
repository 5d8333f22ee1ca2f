import { describe, expect, it } from "vitest";
import { resourceParameterCompatibility as policy } from "../../policy/policies/resource-parameter-compatibility";
import { resourceServer, tenant, thirdPartyGrant } from "./fixtures";
import { UNKNOWN, runStackPolicy, urnOf } from "./helpers";

const API = "https://mcp.example.com/mcp";

describe("resource-parameter-compatibility", () => {
    it("lets a compatibility-profile tenant with an MCP API through (any case)", async () => {
        expect((await runStackPolicy(policy, [tenant(), resourceServer()])).violations).toEqual([]);
        expect(
            (await runStackPolicy(policy, [tenant({ resourceParameterProfile: "Compatibility" }), resourceServer()]))
                .violations,
        ).toEqual([]);
    });

    it("blocks the audience profile when an MCP API exists", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ resourceParameterProfile: "audience" }),
            resourceServer({}, "api"),
        ]);
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("resource-parameter-compatibility");
        expect(outcome.violations[0].message).toContain(
            `Tenant "tenant" has resourceParameterProfile "audience" and no defaultAudience stands in for it`,
        );
        expect(outcome.violations[0].message).toContain(`Set resourceParameterProfile: "compatibility"`);
    });

    it("blocks a profile the program leaves unset: the planned output is unknown, and Auth0's default is audience", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ resourceParameterProfile: undefined }),
            resourceServer(),
        ]);
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations[0].message).toContain(
            `resourceParameterProfile not set (Auth0's default is "audience")`,
        );
    });

    it("blocks a profile taken from another resource (fail closed)", async () => {
        const t = tenant({ resourceParameterProfile: UNKNOWN.string });
        t.propertyDependencies = { resourceParameterProfile: [urnOf(resourceServer())] };
        const outcome = await runStackPolicy(policy, [t, resourceServer()]);
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations[0].message).toContain(
            "resourceParameterProfile is taken from another resource's output",
        );
    });

    it("accepts a default audience that names the only MCP API exactly", async () => {
        const stack = [
            tenant({ resourceParameterProfile: "audience", defaultAudience: API }),
            resourceServer({ identifier: API }),
        ];
        expect((await runStackPolicy(policy, stack)).violations).toEqual([]);
    });

    it("blocks a default audience when there are two MCP APIs", async () => {
        const stack = [
            tenant({ resourceParameterProfile: "audience", defaultAudience: API }),
            resourceServer({ identifier: API }, "tools"),
            resourceServer({ identifier: "https://mcp.example.com/search" }, "search"),
        ];
        const outcome = await runStackPolicy(policy, stack);
        expect(outcome.violations[0].message).toContain("can stand in for only one MCP API");
    });

    it("still applies to a tenant-only stack (split layout): the tenant serves other stacks' MCP APIs", async () => {
        const outcome = await runStackPolicy(policy, [tenant({ resourceParameterProfile: "audience" })]);
        expect(outcome.violations[0].message).toContain(
            "this stack declares no MCP API, so the tenant serves the MCP APIs of other stacks",
        );
        expect((await runStackPolicy(policy, [tenant()])).violations).toEqual([]);
    });

    it("does not count exempt or non-MCP APIs, and is not applicable without a Tenant", async () => {
        const exempt = { config: { exemptIdentifiers: ["urn:legacy"] } };
        const legacy = await runStackPolicy(
            policy,
            [
                tenant({ resourceParameterProfile: "audience", defaultAudience: API }),
                resourceServer({ identifier: API }),
                resourceServer({ identifier: "urn:legacy" }, "legacy"),
            ],
            exempt,
        );
        expect(legacy.violations).toEqual([]);
        const selected = await runStackPolicy(
            policy,
            [
                tenant({ resourceParameterProfile: "audience", defaultAudience: API }),
                resourceServer({ identifier: API }),
                resourceServer({ identifier: "https://billing.example.com" }, "billing"),
            ],
            { config: { mcpApiIdentifiers: ["https://mcp.example.com/*"] } },
        );
        expect(selected.violations).toEqual([]);
        const noTenant = await runStackPolicy(policy, [resourceServer(), thirdPartyGrant()]);
        expect(noTenant.notApplicable).toContain("no auth0 Tenant");
    });
});
