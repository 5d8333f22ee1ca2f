import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyConfigDefaults, resolvePackConfig, validatePolicyConfig } from "../../src/check/policy-config-validation";
import { approvedIdentityProviders } from "../../policy/policies/approved-identity-providers";
import { defaultAudienceRequiresValidation } from "../../policy/policies/default-audience-requires-validation";
import { mcpApiTokenSettings } from "../../policy/policies/mcp-api-token-settings";
import { MCP_POLICIES } from "../../policy/registry";
import { PACK_DIR } from "./helpers";

const readConfig = (env: string) => JSON.parse(readFileSync(join(PACK_DIR, "config", `${env}.json`), "utf8"));

describe("policy config", () => {
    it("applies schema defaults like the CLI", () => {
        expect(applyConfigDefaults(mcpApiTokenSettings.configSchema, {})).toEqual({
            allowedSigningAlgs: ["RS256", "PS256"],
            maxTokenLifetimeSeconds: 86400,
            exemptIdentifiers: [],
            allowLocalhostHttp: false,
        });
        expect(
            applyConfigDefaults(mcpApiTokenSettings.configSchema, { maxTokenLifetimeSeconds: 600 })
                .maxTokenLifetimeSeconds,
        ).toBe(600);
        expect(applyConfigDefaults(approvedIdentityProviders.configSchema, {})).toEqual({});
    });

    it("resolves an empty pack config to each policy's own level and defaults", () => {
        const result = resolvePackConfig(MCP_POLICIES, {});
        expect(result.errors).toEqual([]);
        expect(result.policies["prefer-cimd-over-dcr"].enforcementLevel).toBe("advisory");
        expect(result.policies["default-audience-requires-validation"]).toEqual({
            enforcementLevel: "mandatory",
            properties: { allowedSigningAlgs: ["RS256", "PS256"], maxTokenLifetimeSeconds: 86400, externalApis: [] },
        });
    });

    it('lets "all" override every level, then a policy entry override "all"', () => {
        const result = resolvePackConfig(MCP_POLICIES, {
            all: "advisory",
            "jwks-keeps-alg": { enforcementLevel: "disabled" },
        });
        expect(result.policies["single-tenant-resource"].enforcementLevel).toBe("advisory");
        expect(result.policies["jwks-keeps-alg"].enforcementLevel).toBe("disabled");
    });

    it("rejects invalid values with the policy and key named", () => {
        expect(validatePolicyConfig(mcpApiTokenSettings, { maxTokenLifetimeSeconds: "3600" }).errors).toEqual([
            "mcp-api-token-settings: maxTokenLifetimeSeconds: must be integer",
        ]);
        expect(
            validatePolicyConfig(defaultAudienceRequiresValidation, { allowedSigningAlgs: ["HS256"] }).errors,
        ).toEqual([
            "default-audience-requires-validation: allowedSigningAlgs.0: must be equal to one of the allowed values (RS256, PS256)",
        ]);
        expect(validatePolicyConfig(approvedIdentityProviders, { approvedStrategies: "oidc" }).errors).toEqual([
            "approved-identity-providers: approvedStrategies: must be array",
        ]);
        const external = validatePolicyConfig(defaultAudienceRequiresValidation, {
            externalApis: [{ identifier: "https://a.example.com" }],
        });
        expect(external.errors).toContain(
            "default-audience-requires-validation: managedIn: is required in externalApis.0",
        );
    });

    it("rejects a bad pack config file with the key named", () => {
        expect(
            resolvePackConfig(MCP_POLICIES, { "cimd-client-governance": { allowedMetadataDomains: [42] } }).errors,
        ).toEqual(["cimd-client-governance: allowedMetadataDomains.0: must be string"]);
        expect(resolvePackConfig(MCP_POLICIES, { all: "block" }).errors).toEqual([
            `all: "block" is not a valid enforcement level`,
        ]);
        expect(resolvePackConfig(MCP_POLICIES, { "jwks-keeps-alg": { enforcementLevel: "loud" } }).errors).toEqual([
            `jwks-keeps-alg: enforcementLevel: "loud" is not a valid enforcement level`,
        ]);
    });

    it("ignores unknown policies and keys like the CLI, and reports them in strict mode", () => {
        const typo = {
            "approved-identity-provider": { approvedStrategies: ["oidc"] },
            "approved-identity-providers": { approvedStrategy: ["oidc"] },
        };
        expect(resolvePackConfig(MCP_POLICIES, typo).errors).toEqual([]);
        expect(resolvePackConfig(MCP_POLICIES, typo, "advisory", { strict: true }).errors).toEqual([
            "approved-identity-provider: is not a policy of this pack",
            "approved-identity-providers: approvedStrategy: is not a setting of this policy",
        ]);
        expect(
            resolvePackConfig(
                MCP_POLICIES,
                { all: { enforcementLevel: "mandatory", maxTokenLifetimeSeconds: 60 } },
                "advisory",
                { strict: true },
            ).errors,
        ).toEqual([`all: maxTokenLifetimeSeconds: is not a setting of "all", which only takes an enforcementLevel`]);
    });

    it.each(["dev", "prod"])("policy/config/%s.json is valid, even in strict mode", (env) => {
        const result = resolvePackConfig(MCP_POLICIES, readConfig(env), "mandatory", { strict: true });
        expect(result.errors).toEqual([]);
        const approvals = result.policies["approved-identity-providers"].properties;
        expect(approvals.approvedStrategies ?? approvals.approvedConnections).toBeDefined();
    });

    it('keeps prefer-cimd-over-dcr advisory in dev despite "all": "mandatory", and mandatory in prod', () => {
        expect(
            resolvePackConfig(MCP_POLICIES, readConfig("dev")).policies["prefer-cimd-over-dcr"].enforcementLevel,
        ).toBe("advisory");
        expect(
            resolvePackConfig(MCP_POLICIES, readConfig("prod")).policies["prefer-cimd-over-dcr"].enforcementLevel,
        ).toBe("mandatory");
    });
});

describe("settings JSON schema cannot judge", () => {
    it("refuses a public suffix in allowedMetadataDomains before any rule runs, naming the policy and key", () => {
        const result = resolvePackConfig(MCP_POLICIES, {
            "cimd-client-governance": { allowedMetadataDomains: ["example.com", "co.uk"] },
        });
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]).toMatch(/^cimd-client-governance: allowedMetadataDomains\.1: /);
    });
});
