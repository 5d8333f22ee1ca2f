import { describe, expect, it } from "vitest";
import { preferCimdOverDcr as policy } from "../../policy/policies/prefer-cimd-over-dcr";
import { tenant } from "./fixtures";
import { runResourcePolicy } from "./helpers";

describe("prefer-cimd-over-dcr", () => {
    it("is advisory", () => {
        expect(policy.enforcementLevel).toBe("advisory");
    });

    it("lets a tenant with DCR off through", async () => {
        expect((await runResourcePolicy(policy, tenant())).violations).toEqual([]);
    });

    it("advises against DCR and says to turn CIMD on", async () => {
        const outcome = await runResourcePolicy(
            policy,
            tenant({ clientIdMetadataDocumentSupported: false, flags: { enableDynamicClientRegistration: true } }),
        );
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("prefer-cimd-over-dcr");
        expect(outcome.violations[0].enforcementLevel).toBe("advisory");
        expect(outcome.violations[0].message).toContain("Set clientIdMetadataDocumentSupported: true");
    });

    it("tells a tenant that already has CIMD to move the rest of its clients", async () => {
        const outcome = await runResourcePolicy(policy, tenant({ flags: { enableDynamicClientRegistration: true } }));
        expect(outcome.violations[0].message).toContain("CIMD is already on");
    });

    it("counts a DCR flag written as a string as on", async () => {
        const outcome = await runResourcePolicy(policy, tenant({ flags: { enableDynamicClientRegistration: "true" } }));
        expect(outcome.violations).toHaveLength(1);
    });
});
