import { describe, expect, it } from "vitest";
import { cimdClientGovernance as policy } from "../../policy/policies/cimd-client-governance";
import { clientCimd, FUTURE_DATE } from "./fixtures";
import { runResourcePolicy } from "./helpers";

const config = { allowedMetadataDomains: ["example.com"] };

describe("cimd-client-governance", () => {
  it("lets an approved client on an allowlisted subdomain through", async () => {
    expect((await runResourcePolicy(policy, clientCimd(), { config })).violations).toEqual([]);
  });

  it("fails closed without an allowlist and names the setting to add", async () => {
    const outcome = await runResourcePolicy(policy, clientCimd());
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].policyName).toBe("cimd-client-governance");
    expect(outcome.violations[0].message).toContain(`add "allowedMetadataDomains"`);
  });

  it("blocks a host that only ends with the allowlisted letters", async () => {
    const outcome = await runResourcePolicy(policy, clientCimd({ externalClientId: "https://evilexample.com/client.json" }), { config });
    expect(outcome.violations[0].message).toContain(`metadata host "evilexample.com" is not on allowedMetadataDomains [example.com]`);
  });

  it("blocks http and a URL without a path", async () => {
    const http = await runResourcePolicy(policy, clientCimd({ externalClientId: "http://app.example.com/client.json" }), { config });
    expect(http.violations[0].message).toContain("must use https");
    const noPath = await runResourcePolicy(policy, clientCimd({ externalClientId: "https://app.example.com/" }), { config });
    expect(noPath.violations[0].message).toContain("must have a path to the metadata document");
  });

  it("blocks missing owner and approval, and a past review date", async () => {
    const outcome = await runResourcePolicy(policy, clientCimd({ clientMetadata: { mcp_review_by: "2000-01-01" } }, "old"), { config });
    const { message } = outcome.violations[0];
    expect(message).toContain(`ClientCimd "old"`);
    expect(message).toContain("clientMetadata.mcp_owner is not set");
    expect(message).toContain("clientMetadata.mcp_approval_ref is not set");
    expect(message).toContain(`clientMetadata.mcp_review_by "2000-01-01" has passed`);
  });

  it("rejects an impossible review date and, by default, a missing one", async () => {
    const bad = await runResourcePolicy(policy, clientCimd({ clientMetadata: { mcp_owner: "a", mcp_approval_ref: "b", mcp_review_by: "2999-02-30" } }), { config });
    expect(bad.violations[0].message).toContain(`"2999-02-30" is not a YYYY-MM-DD date`);
    const missing = { mcp_owner: "a", mcp_approval_ref: "b" };
    expect((await runResourcePolicy(policy, clientCimd({ clientMetadata: missing }), { config })).violations).toHaveLength(1);
    expect(
      (await runResourcePolicy(policy, clientCimd({ clientMetadata: missing }), { config: { ...config, requireReviewBy: false } })).violations,
    ).toEqual([]);
    expect(FUTURE_DATE > new Date().toISOString()).toBe(true);
  });
});
