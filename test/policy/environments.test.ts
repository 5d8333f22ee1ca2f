import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePackConfig } from "../../src/check/policy-config-validation";
import { MCP_POLICIES } from "../../policy/registry";
import { connection, devStack, prodStack, resourceServer, tenant } from "./fixtures";
import { PACK_DIR, runPolicyOnStack, type FakeResource, type Violation } from "./helpers";

async function runPack(env: "dev" | "prod", stack: FakeResource[]): Promise<Violation[]> {
    const resolved = resolvePackConfig(
        MCP_POLICIES,
        JSON.parse(readFileSync(join(PACK_DIR, "config", `${env}.json`), "utf8")),
    );
    expect(resolved.errors).toEqual([]);
    const violations: Violation[] = [];
    for (const policy of MCP_POLICIES) {
        const { enforcementLevel, properties } = resolved.policies[policy.name];
        if (enforcementLevel === "disabled") continue;
        const found = await runPolicyOnStack(policy, stack, { config: properties, rawConfig: true });
        violations.push(...found.map((v) => ({ ...v, enforcementLevel })));
    }
    return violations;
}

const mandatory = (violations: Violation[]) => violations.filter((v) => v.enforcementLevel === "mandatory");

describe("environment configs", () => {
    it("dev.json lets the dev stack through with no violations", async () => {
        expect(await runPack("dev", devStack())).toEqual([]);
    });

    it("prod.json lets a prod-like stack through with no violations", async () => {
        const stack = prodStack();
        expect(await runPack("prod", stack)).toEqual([]);
    });

    it("prod.json is stricter: it blocks the dev stack's google connection, DCR and long token lifetimes", async () => {
        const stack = [
            tenant({ flags: { enableDynamicClientRegistration: true, enableClientConnections: false } }),
            resourceServer({ identifier: "https://mcp.example.com/tools", tokenLifetime: 86400 }),
            connection(),
        ];
        const names = mandatory(await runPack("prod", stack))
            .map((v) => v.policyName)
            .sort();
        expect(names).toEqual([
            "approved-identity-providers",
            "dynamic-client-registration-guardrails",
            "mcp-api-token-settings",
            "prefer-cimd-over-dcr",
        ]);
        expect(mandatory(await runPack("dev", stack)).map((v) => v.policyName)).toEqual([
            "dynamic-client-registration-guardrails",
        ]);
    });
});
