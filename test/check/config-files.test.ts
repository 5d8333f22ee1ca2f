import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CheckInputError } from "../../src/check/errors";
import { parsePolicyConfig, reconcilePolicyConfig, type PolicySchemaInfo } from "../../src/check/policy-config";
import { loadProject } from "../../src/check/project";
import { loadStackConfig, SECRET_PLACEHOLDER } from "../../src/check/stack-config";

function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-check-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

describe("stack config", () => {
    it("qualifies keys, JSON-encodes structured values and replaces secure values by a secret placeholder", () => {
        const dir = project({
            "Pulumi.yaml": "name: demo\nruntime: nodejs\nconfig:\n  region:\n    default: eu\n",
            "Pulumi.dev.yaml": "config:\n  auth0:domain: t.eu.auth0.com\n  apis:\n    - identifier: https://a.example.com/mcp\n  token:\n    secure: v1:abc\n  nested:\n    inner:\n      secure: v1:def\n",
            "index.ts": "",
        });
        const { entries } = loadStackConfig(loadProject(dir), "dev");
        const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
        expect(byKey["demo:region"]).toEqual({ key: "demo:region", value: "eu", secret: false });
        expect(byKey["auth0:domain"]!.value).toBe("t.eu.auth0.com");
        expect(JSON.parse(byKey["demo:apis"]!.value)).toEqual([{ identifier: "https://a.example.com/mcp" }]);
        expect(byKey["demo:token"]).toEqual({ key: "demo:token", value: SECRET_PLACEHOLDER, secret: true });
        expect(byKey["demo:nested"]).toEqual({ key: "demo:nested", value: JSON.stringify({ inner: SECRET_PLACEHOLDER }), secret: true });
        expect(JSON.stringify(entries)).not.toContain("v1:");
    });

    it.each([
        ["a key with too many parts", "config:\n  a:b:c: 1\n", /key 'a:b:c' is not of the form/],
        ["a non-mapping config", "config: [1, 2]\n", /`config` is not a mapping/],
        ["broken YAML", "config: {\n", /not valid YAML/],
        ["an ESC environment", "environment:\n  - prod\n", /Pulumi ESC/],
    ])("rejects %s, naming the stack file", (_label, stackYaml, message) => {
        const dir = project({ "Pulumi.yaml": "name: demo\nruntime: nodejs\n", "Pulumi.dev.yaml": stackYaml, "index.ts": "" });
        const err = (() => {
            try {
                loadStackConfig(loadProject(dir), "dev");
            } catch (e) {
                return e as CheckInputError;
            }
            throw new Error("expected an error");
        })();
        expect(err).toBeInstanceOf(CheckInputError);
        expect(err.message).toMatch(message);
        expect(err.where).toBe(path.join(dir, "Pulumi.dev.yaml"));
    });
});

describe("policy config (the CLI's half)", () => {
    const policies: PolicySchemaInfo[] = [
        { name: "algs", enforcementLevel: "mandatory", schema: { properties: { allowed: { type: "array", items: { type: "string" }, default: ["RS256"] }, max: { type: "number" } }, required: [] } },
        { name: "idp", enforcementLevel: "mandatory", schema: { properties: { strategies: { type: "array", items: { type: "string" } } }, required: ["strategies"] } },
        { name: "hint", enforcementLevel: "advisory" },
    ];
    const FILE = "policy/config/dev.json";

    it("applies schema defaults, then `all`, then each policy's level and settings", () => {
        const given = parsePolicyConfig({ all: "advisory", idp: { enforcementLevel: "mandatory", strategies: ["google-oauth2"] }, algs: { max: 3600 } }, FILE);
        const config = reconcilePolicyConfig(policies, {}, given, FILE);
        expect(config["algs"]).toEqual({ enforcementLevel: "advisory", properties: { allowed: ["RS256"], max: 3600 } });
        expect(config["idp"]).toEqual({ enforcementLevel: "mandatory", properties: { strategies: ["google-oauth2"] } });
        expect(config["hint"]).toEqual({ enforcementLevel: "advisory", properties: {} });
    });

    it.each([
        [{ idp: { strategies: "google-oauth2" } }, "invalid policy config: idp: strategies must be array"],
        [{ algs: { allowed: [1] }, idp: { strategies: [] } }, "invalid policy config: algs: allowed.0 must be string"],
        [{}, "invalid policy config: idp: strategies is required"],
        [{ idp: { strategies: [] }, "idp-typo": "disabled" }, "invalid policy config: 'idp-typo' is not a policy of this pack"],
        [{ idp: "blocking" }, 'invalid policy config: idp: "blocking" is not a valid enforcement level'],
        [{ idp: { strategies: [], strategy: ["oidc"] } }, "invalid policy config: idp: strategy is not a setting of this policy"],
        [{ idp: { strategies: [] }, hint: { verbose: true } }, "invalid policy config: hint: verbose is not a setting of this policy"],
        [{ all: { enforcementLevel: "mandatory", max: 1 }, idp: { strategies: [] } }, 'invalid policy config: all: max is not a setting of "all"'],
        [null, "invalid policy config: the policy pack config must be a JSON object"],
    ])("rejects %j naming the policy and key", (doc, message) => {
        expect(() => reconcilePolicyConfig(policies, {}, parsePolicyConfig(doc, FILE), FILE)).toThrow(message);
    });

    it("applies the pack's initial config before the file, like the CLI", () => {
        const initial = { all: { enforcementLevel: "disabled" as const, properties: {} }, algs: { enforcementLevel: "advisory" as const, properties: { max: 10 } } };
        const config = reconcilePolicyConfig(policies, initial, parsePolicyConfig({ idp: { strategies: [] }, algs: { max: 20 } }, FILE), FILE);
        expect(config["algs"]).toEqual({ enforcementLevel: "advisory", properties: { allowed: ["RS256"], max: 20 } });
        expect(config["hint"]!.enforcementLevel).toBe("disabled");
        const overridden = reconcilePolicyConfig(policies, initial, parsePolicyConfig({ all: "mandatory", idp: { strategies: [] } }, FILE), FILE);
        expect(overridden["algs"]).toEqual({ enforcementLevel: "mandatory", properties: { allowed: ["RS256"], max: 10 } });
    });

    it("reports the first problem in one line and counts the others", () => {
        expect(() => reconcilePolicyConfig(policies, {}, parsePolicyConfig({ algs: { max: "1" }, idp: { strategies: "x" } }, FILE), FILE)).toThrow(
            `invalid policy config: algs: max must be number (${FILE}): fix 'max' under "algs" (1 more problem after this one)`,
        );
    });
});
