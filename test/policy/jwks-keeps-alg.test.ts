import { describe, expect, it } from "vitest";
import { jwksKeepsAlg as policy } from "../../policy/policies/jwks-keeps-alg";
import { tenant } from "./fixtures";
import { runResourcePolicy } from "./helpers";

describe("jwks-keeps-alg", () => {
  it("lets a tenant through that keeps alg (unset or false)", async () => {
    expect((await runResourcePolicy(policy, tenant())).violations).toEqual([]);
    expect((await runResourcePolicy(policy, tenant({ flags: { removeAlgFromJwks: false } }))).violations).toEqual([]);
  });

  it("blocks removeAlgFromJwks: true", async () => {
    const outcome = await runResourcePolicy(policy, tenant({ flags: { removeAlgFromJwks: true } }, "main"));
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].policyName).toBe("jwks-keeps-alg");
    expect(outcome.violations[0].message).toContain(`Tenant "main" sets flags.removeAlgFromJwks: true`);
  });
});
