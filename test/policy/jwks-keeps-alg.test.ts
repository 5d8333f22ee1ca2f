import { describe, expect, it } from "vitest";
import { jwksKeepsAlg as policy } from "../../policy/policies/jwks-keeps-alg";
import { tenant } from "./fixtures";
import { UNKNOWN, runResourcePolicy } from "./helpers";

describe("jwks-keeps-alg", () => {
    it("lets a tenant through that keeps alg (unset or false)", async () => {
        expect((await runResourcePolicy(policy, tenant())).violations).toEqual([]);
        expect((await runResourcePolicy(policy, tenant({ flags: { removeAlgFromJwks: false } }))).violations).toEqual(
            [],
        );
    });

    it("blocks removeAlgFromJwks: true", async () => {
        const outcome = await runResourcePolicy(policy, tenant({ flags: { removeAlgFromJwks: true } }, "main"));
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("jwks-keeps-alg");
        expect(outcome.violations[0].message).toContain(`Tenant "main" sets flags.removeAlgFromJwks: true`);
    });

    it("counts a string or number as on, and fails closed on a value from another resource", async () => {
        for (const removeAlgFromJwks of ["true", 1]) {
            const outcome = await runResourcePolicy(policy, tenant({ flags: { removeAlgFromJwks } }));
            expect(outcome.violations[0].message).toContain("sets flags.removeAlgFromJwks:");
        }
        const unknown = await runResourcePolicy(policy, tenant({ flags: { removeAlgFromJwks: UNKNOWN.boolean } }));
        expect(unknown.previewAdvisory).toBeUndefined();
        expect(unknown.violations[0].message).toContain(
            "flags.removeAlgFromJwks is taken from another resource's output",
        );
    });
});
