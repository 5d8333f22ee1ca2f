import { describe, expect, it } from "vitest";
import { resourceParameterCompatibility as policy } from "../../policy/policies/resource-parameter-compatibility";
import { resourceServer, tenant, thirdPartyGrant } from "./fixtures";
import { runStackPolicy } from "./helpers";

const API = "https://mcp.example.com/mcp";

describe("resource-parameter-compatibility", () => {
  it("lets a compatibility-profile tenant with an MCP API through (any case)", async () => {
    expect((await runStackPolicy(policy, [tenant(), resourceServer()])).violations).toEqual([]);
    expect((await runStackPolicy(policy, [tenant({ resourceParameterProfile: "Compatibility" }), resourceServer()])).violations).toEqual([]);
  });

  it("blocks the audience profile when an MCP API exists", async () => {
    const outcome = await runStackPolicy(policy, [tenant({ resourceParameterProfile: "audience" }), resourceServer({}, "api")]);
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].policyName).toBe("resource-parameter-compatibility");
    expect(outcome.violations[0].message).toContain(`Tenant "tenant" has resourceParameterProfile "audience" and sets no defaultAudience`);
    expect(outcome.violations[0].message).toContain(`Set resourceParameterProfile: "compatibility"`);
  });

  it("blocks an unset profile", async () => {
    const outcome = await runStackPolicy(policy, [tenant({ resourceParameterProfile: undefined }), resourceServer()]);
    expect(outcome.violations[0].message).toContain("resourceParameterProfile (not set)");
  });

  it("accepts a default audience that names the only MCP API exactly", async () => {
    const stack = [tenant({ resourceParameterProfile: "audience", defaultAudience: API }), resourceServer({ identifier: API })];
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

  it("does not count exempt APIs and is not applicable without a Tenant or an MCP API", async () => {
    const exempt = { config: { exemptIdentifiers: ["urn:legacy"] } };
    const legacyOnly = await runStackPolicy(policy, [tenant({ resourceParameterProfile: "audience" }), resourceServer({ identifier: "urn:legacy" })], exempt);
    expect(legacyOnly.violations).toEqual([]);
    expect(legacyOnly.notApplicable).toContain("no MCP API");
    const noTenant = await runStackPolicy(policy, [resourceServer(), thirdPartyGrant()]);
    expect(noTenant.notApplicable).toContain("no auth0 Tenant");
  });
});
