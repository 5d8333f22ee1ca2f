import { describe, expect, it } from "vitest";
import { tenantSecuritySettingsExplicit as policy } from "../../policy/policies/tenant-security-settings-explicit";
import { tenant } from "./fixtures";
import { UNKNOWN, runResourcePolicy } from "./helpers";

describe("tenant-security-settings-explicit", () => {
    it("lets a tenant through that sets the default required settings", async () => {
        expect((await runResourcePolicy(policy, tenant())).violations).toEqual([]);
    });

    it("blocks a tenant that leaves settings to the dashboard and lists them", async () => {
        const outcome = await runResourcePolicy(policy, { ...tenant(), props: { friendlyName: "Dev" } });
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("tenant-security-settings-explicit");
        expect(outcome.violations[0].message).toContain(
            `Tenant "tenant" leaves flags.enableDynamicClientRegistration, flags.enableClientConnections, clientIdMetadataDocumentSupported, resourceParameterProfile unset`,
        );
    });

    it("counts false as set and applies the configured list", async () => {
        const config = { requiredSettings: ["flags.removeAlgFromJwks"] };
        expect((await runResourcePolicy(policy, tenant(), { config })).violations[0].message).toContain(
            "leaves flags.removeAlgFromJwks unset",
        );
        expect(
            (await runResourcePolicy(policy, tenant({ flags: { removeAlgFromJwks: false } }), { config })).violations,
        ).toEqual([]);
    });

    it("falls back to its defaults when the engine sends no config", async () => {
        const outcome = await runResourcePolicy(policy, { ...tenant(), props: {} }, { config: {}, rawConfig: true });
        expect(outcome.violations[0].message).toContain("resourceParameterProfile");
    });

    it("counts a setting taken from another resource as written in code (no can't-run advisory)", async () => {
        const outcome = await runResourcePolicy(policy, tenant({ resourceParameterProfile: UNKNOWN.string }));
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations).toEqual([]);
    });
});
