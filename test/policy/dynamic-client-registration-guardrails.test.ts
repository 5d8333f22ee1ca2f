import { describe, expect, it } from "vitest";
import { dynamicClientRegistrationGuardrails as policy } from "../../policy/policies/dynamic-client-registration-guardrails";
import { resourceServer, tenant, thirdPartyGrant } from "./fixtures";
import { runStackPolicy } from "./helpers";

const dcrOn = (extra: Record<string, unknown> = {}) =>
  tenant({ flags: { enableDynamicClientRegistration: true, enableClientConnections: false }, ...extra });

describe("dynamic-client-registration-guardrails", () => {
  it("lets DCR through with an explicit-scope default third-party grant", async () => {
    expect((await runStackPolicy(policy, [dcrOn(), resourceServer(), thirdPartyGrant()])).violations).toEqual([]);
  });

  it("lets a stack with DCR off and no grant through", async () => {
    expect((await runStackPolicy(policy, [tenant(), resourceServer()])).violations).toEqual([]);
  });

  it("blocks DCR without a default third-party grant", async () => {
    const outcome = await runStackPolicy(policy, [dcrOn(), resourceServer()]);
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].policyName).toBe("dynamic-client-registration-guardrails");
    expect(outcome.violations[0].message).toContain(`declares no ClientGrant with defaultFor "third_party_clients"`);
    expect(outcome.violations[0].urn).toContain("tenant:Tenant::tenant");
  });

  it("blocks allowAllScopes on the third-party grant", async () => {
    const outcome = await runStackPolicy(policy, [dcrOn(), thirdPartyGrant({ allowAllScopes: true, scopes: undefined })]);
    const messages = outcome.violations.map((v) => v.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain(`ClientGrant "third-party-default"`);
    expect(messages[0]).toContain("allowAllScopes is true");
    expect(messages[1]).toContain("none of its default third-party ClientGrants");
  });

  it("blocks allowAllScopes on the third-party grant even with DCR off (it also applies to CIMD clients)", async () => {
    const outcome = await runStackPolicy(policy, [tenant(), thirdPartyGrant({ allowAllScopes: true })]);
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].message).toContain("allowAllScopes is true");
  });

  it("blocks an empty scope list and matches defaultFor case-insensitively", async () => {
    const outcome = await runStackPolicy(policy, [dcrOn(), thirdPartyGrant({ defaultFor: "THIRD_PARTY_CLIENTS", scopes: [] })]);
    expect(outcome.violations[0].message).toContain("scopes is empty or not set");
  });

  it("blocks the permissive DCR security mode in any case", async () => {
    const outcome = await runStackPolicy(policy, [dcrOn({ dynamicClientRegistrationSecurityMode: "Permissive" }), thirdPartyGrant()]);
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].message).toContain(`dynamicClientRegistrationSecurityMode "Permissive"`);
  });

  it("accepts the strict DCR security mode", async () => {
    const outcome = await runStackPolicy(policy, [dcrOn({ dynamicClientRegistrationSecurityMode: "strict" }), thirdPartyGrant()]);
    expect(outcome.violations).toEqual([]);
  });
});
