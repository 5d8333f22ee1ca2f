import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isStackPolicy } from "../../policy/lib/policy-kit";
import { MCP_POLICIES, POLICY_PACK_NAME, policySummaries } from "../../policy/registry";
import { PACK_DIR, metadataProblems } from "./helpers";

describe("policy pack metadata", () => {
    it.each(MCP_POLICIES.map((policy) => [policy.name, policy] as const))(
        "%s has complete metadata",
        (_name, policy) => {
            expect(metadataProblems(policy)).toEqual([]);
        },
    );

    it("catches bad metadata (the check itself can fail)", () => {
        const bad = {
            ...MCP_POLICIES[0],
            name: "Bad_Name",
            description: "no capital and no period",
            remediationSteps: "fix it",
        };
        expect(metadataProblems(bad)).toEqual([
            `name "Bad_Name" is not kebab-case`,
            "description is not a sentence (capital letter, final period)",
            `remediation step 1 is not numbered "1. "`,
        ]);
    });

    it("has unique names and one rule file per policy", () => {
        const names = MCP_POLICIES.map((policy) => policy.name);
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) expect(() => readFileSync(join(PACK_DIR, "policies", `${name}.ts`))).not.toThrow();
    });

    it("includes the rules the issue names, with their enforcement levels", () => {
        const levels = Object.fromEntries(policySummaries().map((s) => [s.name, `${s.kind}/${s.enforcementLevel}`]));
        expect(levels).toEqual({
            "default-audience-requires-validation": "stack/mandatory",
            "approved-identity-providers": "resource/mandatory",
            "promoted-connection-approval-recorded": "resource/mandatory",
            "dynamic-client-registration-guardrails": "stack/mandatory",
            "prefer-cimd-over-dcr": "resource/advisory",
            "mcp-api-token-settings": "resource/mandatory",
            "resource-parameter-compatibility": "stack/mandatory",
            "cimd-client-governance": "resource/mandatory",
            "single-tenant-resource": "stack/mandatory",
            "tenant-security-settings-explicit": "resource/mandatory",
            "jwks-keeps-alg": "resource/mandatory",
            "client-grant-types": "resource/mandatory",
            "mcp-api-tenant-managed": "stack/advisory",
            "third-party-client-governance": "resource/mandatory",
        });
    });

    it("ships the files the CLI needs to load the pack", () => {
        const pkg = JSON.parse(readFileSync(join(PACK_DIR, "package.json"), "utf8"));
        const root = JSON.parse(readFileSync(join(PACK_DIR, "..", "package.json"), "utf8"));
        expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(pkg.dependencies["@pulumi/policy"]).toBe(root.dependencies["@pulumi/policy"]);
        expect(pkg.dependencies["@pulumi/pulumi"]).toBe(root.dependencies["@pulumi/pulumi"]);
        expect(readFileSync(join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
        const tsconfig = JSON.parse(readFileSync(join(PACK_DIR, "tsconfig.json"), "utf8"));
        expect(tsconfig.compilerOptions).toMatchObject({ module: "commonjs", moduleResolution: "node", strict: true });
        const entry = readFileSync(join(PACK_DIR, "index.ts"), "utf8");
        expect(entry).toContain("new PolicyPack(POLICY_PACK_NAME");
        expect(POLICY_PACK_NAME).toMatch(/^[a-zA-Z0-9-_.]{1,100}$/);
    });
});

describe("resource rules name their type for the pack's server", () => {
    it("every resource rule carries __pulumiType, so @pulumi/policy's server skips other types before deserializing", () => {
        for (const policy of MCP_POLICIES.filter((p) => !isStackPolicy(p))) {
            // What @pulumi/policy 1.21 policy.js getPulumiType reads before server.js deserializes a resource's properties.
            const validate = (policy as { validateResource?: { __pulumiType?: unknown } }).validateResource;
            expect(validate?.__pulumiType, policy.name).toMatch(/^auth0:index\//);
        }
    });
});
