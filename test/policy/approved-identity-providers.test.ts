import { describe, expect, it } from "vitest";
import { approvedIdentityProviders as policy } from "../../policy/policies/approved-identity-providers";
import { connection, resourceServer } from "./fixtures";
import { UNKNOWN, runResourcePolicy } from "./helpers";

const approved = { approvedStrategies: ["google-oauth2"], approvedConnections: ["google-oauth2"] };

describe("approved-identity-providers", () => {
  it("lets an approved strategy and connection name through", async () => {
    expect((await runResourcePolicy(policy, connection(), { config: approved })).violations).toEqual([]);
  });

  it("ignores connections that are not promoted, and other resource types", async () => {
    expect((await runResourcePolicy(policy, connection({ isDomainConnection: false, strategy: "auth0" }))).violations).toEqual([]);
    expect((await runResourcePolicy(policy, resourceServer())).violations).toEqual([]);
  });

  it("fails closed without config and names the setting to add", async () => {
    const outcome = await runResourcePolicy(policy, connection());
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].policyName).toBe("approved-identity-providers");
    expect(outcome.violations[0].message).toContain("no identity providers are approved for promotion");
    expect(outcome.violations[0].message).toContain(`Add "approvedStrategies"`);
  });

  it("blocks an approved connection name with an unapproved strategy", async () => {
    const outcome = await runResourcePolicy(policy, connection({ name: "google-oauth2", strategy: "samlp" }), { config: approved });
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].message).toContain(`strategy "samlp" is not in approvedStrategies [google-oauth2]`);
  });

  it("blocks an approved strategy under a connection name that is not listed", async () => {
    const outcome = await runResourcePolicy(policy, connection({ name: "google-shadow" }), { config: approved });
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].message).toContain(`connection name "google-shadow" is not in approvedConnections [google-oauth2]`);
  });

  it("checks only strategies when approvedConnections is not given", async () => {
    const outcome = await runResourcePolicy(policy, connection({ name: "any-name" }), { config: { approvedStrategies: ["google-oauth2"] } });
    expect(outcome.violations).toEqual([]);
  });

  it("does not pass silently when the promotion flag is unknown at preview", async () => {
    const outcome = await runResourcePolicy(policy, connection({ isDomainConnection: UNKNOWN.boolean }), { config: approved });
    expect(outcome.previewAdvisory).toContain("can't run policy 'approved-identity-providers'");
    expect(outcome.previewAdvisory).toContain("boolean value at .isDomainConnection can't be known during preview");
  });
});
