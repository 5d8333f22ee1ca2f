import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEMANTIC_CONFIG_CHECKS, semanticConfigProblems } from "../../policy/facts/config-semantics";
import { resolvePackConfig } from "../../src/check/policy-config-validation";
import { MCP_POLICIES } from "../../policy/registry";
import { PACK_DIR } from "./helpers";

describe("semantic policy config checks (what JSON schema cannot express)", () => {
    it("are keyed by real policy names", () => {
        const names = MCP_POLICIES.map((policy) => policy.name);
        for (const name of Object.keys(SEMANTIC_CONFIG_CHECKS)) expect(names).toContain(name);
    });

    it.each(["dev", "prod"])("find nothing wrong in policy/config/%s.json", (env) => {
        const resolved = resolvePackConfig(
            MCP_POLICIES,
            JSON.parse(readFileSync(join(PACK_DIR, "config", `${env}.json`), "utf8")),
        );
        expect(resolved.errors).toEqual([]);
        for (const [name, { properties }] of Object.entries(resolved.policies)) {
            expect({ name, problems: semanticConfigProblems(name, properties) }).toEqual({ name, problems: [] });
        }
    });

    it("refuse a public-suffix allowlist entry and a pin that pins nothing, with the key named", () => {
        expect(
            semanticConfigProblems("cimd-client-governance", { allowedMetadataDomains: ["example.com", "co.uk"] }),
        ).toEqual([
            { key: "allowedMetadataDomains.1", message: expect.stringContaining(`"co.uk" is a public suffix`) },
        ]);
        expect(
            semanticConfigProblems("approved-identity-providers", {
                approvedConnections: [{ name: "corp", strategy: "samlp" }],
            }),
        ).toEqual([{ key: "approvedConnections.0", message: expect.stringContaining("pins no identity provider") }]);
        expect(semanticConfigProblems("jwks-keeps-alg", { anything: 1 })).toEqual([]);
    });
});
