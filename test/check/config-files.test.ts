import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultPolicyConfigFile } from "../../src/check/check";
import { CheckInputError } from "../../src/check/errors";
import { parsePolicyConfig, reconcilePolicyConfig, type PolicySchemaInfo } from "../../src/check/policy-config";
import { loadProject } from "../../src/check/project";
import { REDACTED } from "../../src/check/secrets";
import { readStackFile } from "../../src/check/stack-config";
import { environmentTags } from "../../src/check/stack-tags";
import { defined } from "../helpers/defined";

function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-check-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

describe("stack config", () => {
    it("qualifies keys, JSON-encodes structured values and replaces secure values by a secret placeholder", () => {
        const dir = project({
            "Pulumi.yaml": "name: demo\nruntime: nodejs\nconfig:\n  region:\n    default: eu\n",
            "Pulumi.dev.yaml":
                "config:\n  auth0:domain: t.eu.auth0.com\n  apis:\n    - identifier: https://a.example.com/mcp\n  token:\n    secure: v1:abc\n  nested:\n    inner:\n      secure: v1:def\n",
            "index.ts": "",
        });
        const { entries } = readStackFile(loadProject(dir), "dev");
        const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
        expect(byKey["demo:region"]).toEqual({ key: "demo:region", value: "eu", secret: false });
        expect(defined(byKey["auth0:domain"], "auth0:domain").value).toBe("t.eu.auth0.com");
        expect(JSON.parse(defined(byKey["demo:apis"], "demo:apis").value)).toEqual([
            { identifier: "https://a.example.com/mcp" },
        ]);
        expect(byKey["demo:token"]).toEqual({ key: "demo:token", value: REDACTED, secret: true });
        expect(byKey["demo:nested"]).toEqual({
            key: "demo:nested",
            value: JSON.stringify({ inner: REDACTED }),
            secret: true,
        });
        expect(JSON.stringify(entries)).not.toContain("v1:");
    });

    it.each([
        ["a key with too many parts", "config:\n  a:b:c: 1\n", /key 'a:b:c' is not of the form/],
        ["a non-mapping config", "config: [1, 2]\n", /`config` is not a mapping/],
        ["broken YAML", "config: {\n", /not valid YAML/],
        ["an ESC environment", "environment:\n  - prod\n", /Pulumi ESC/],
    ])("rejects %s, naming the stack file", (_label, stackYaml, message) => {
        const dir = project({
            "Pulumi.yaml": "name: demo\nruntime: nodejs\n",
            "Pulumi.dev.yaml": stackYaml,
            "index.ts": "",
        });
        const err = (() => {
            try {
                readStackFile(loadProject(dir), "dev");
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

describe("stack files are read as the Pulumi CLI reads them (gopkg.in/yaml.v3 3.0.1)", () => {
    // Sources: sdk/go/common/workspace/loaders.go LoadProjectStackBytes (decode into any, re-encode, decode into
    // config.Map), sdk/go/common/resource/config/object.go unmarshalObject (time.Time → String()) and MarshalString
    // (scalars and objects as json.Marshal text), go-yaml v3.0.1 resolve.go resolve/parseTimestamp. Every expected
    // text below was measured with gopkg.in/yaml.v3 3.0.1 (Debian golang-gopkg-yaml.v3-dev) replaying those steps.
    const load = (yaml: string) => {
        const dir = project({
            "Pulumi.yaml": "name: demo\nruntime: nodejs\n",
            "Pulumi.dev.yaml": yaml,
            "index.ts": "",
        });
        return Object.fromEntries(
            readStackFile(loadProject(dir), "dev").entries.map((e) => [e.key.replace("demo:", ""), e.value]),
        );
    };

    it("turns an unquoted date into Go's time.Time text; a quoted one stays as written", () => {
        const v = load(
            'config:\n  date: 2027-06-30\n  quoted: "2027-06-30"\n  utc: 2027-06-30T10:00:00Z\n  short: 2027-6-3\n  frac: 2027-06-30 10:00:00.50\n  notadate: 2027-02-30\n' +
                "  tenant:\n    cimdClients:\n      - reviewBy: 2027-06-30\n        approvalRef: SEC-1\n",
        );
        expect(v["date"]).toBe("2027-06-30 00:00:00 +0000 UTC");
        expect(v["quoted"]).toBe("2027-06-30");
        expect(v["utc"]).toBe("2027-06-30 10:00:00 +0000 UTC");
        expect(v["short"]).toBe("2027-06-03 00:00:00 +0000 UTC");
        expect(v["frac"]).toBe("2027-06-30 10:00:00.5 +0000 UTC");
        expect(v["notadate"]).toBe("2027-02-30");
        expect(v["tenant"]).toBe(
            '{"cimdClients":[{"approvalRef":"SEC-1","reviewBy":"2027-06-30 00:00:00 +0000 UTC"}]}',
        );
    });

    it("resolves other plain scalars like yaml.v3, not like js-yaml's YAML 1.2 core schema", () => {
        const v = load(
            "config:\n  octal: 0755\n  octal12: 0o17\n  hex: 0x1F\n  under: 1_000\n  float: 1e3\n  float2: 1.50\n  plus: +12\n  bin: 0b101\n" +
                "  yes: yes\n  on: on\n  bool: True\n  tilde: ~\n  empty:\n  big: 1e400\n  obj:\n    n: 0755\n    t: yes\n    f: 1.0\n    html: <a&b>\n",
        );
        expect(v).toMatchObject({
            octal: "493",
            octal12: "15",
            hex: "31",
            under: "1000",
            float: "1000",
            float2: "1.5",
            plus: "12",
            bin: "5",
        });
        expect(v).toMatchObject({ yes: "yes", on: "on", bool: "true", tilde: "null", empty: "null", big: "1e400" });
        expect(v["obj"]).toBe('{"f":1,"html":"\\u003ca\\u0026b\\u003e","n":493,"t":"yes"}');
    });

    it.each([
        ["inf: .inf", "is .inf, which the Pulumi CLI cannot store"],
        ["ts: 2027-06-30T10:00:00+02:00", "depends on the machine's local time zone"],
    ])("refuses %s, which the CLI cannot store or stores machine-dependently", (line, message) => {
        expect(() => load(`config:\n  ${line}\n`)).toThrow(message);
    });
});

describe("stack file location: sdk/go/common/workspace/paths.go ProjectStackPath", () => {
    it("uses Pulumi.yaml's extension and stackConfigDir", () => {
        const dir = project({ "Pulumi.yml": "name: demo\nruntime: nodejs\nstackConfigDir: stacks\n", "index.ts": "" });
        fs.mkdirSync(path.join(dir, "stacks"));
        fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yml"), "config:\n  a: b\n");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  a: wrong\n");
        const { file, entries } = readStackFile(loadProject(dir), "dev");
        expect(file).toBe(path.join(dir, "stacks", "Pulumi.dev.yml"));
        expect(entries).toEqual([{ key: "demo:a", value: "b", secret: false }]);
        expect(defaultPolicyConfigFile(loadProject(dir).stackConfigDir, "dev")).toBe(
            path.join(dir, "stacks", "Pulumi.dev.policy.json"),
        );
    });
});

describe("stack tags: pkg/backend/stack.go GetEnvironmentTagsForCurrentStack", () => {
    it("derives pulumi:project, pulumi:runtime, pulumi:description, the pulumi:tags config and vcs:root", () => {
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-tags-"));
        fs.mkdirSync(path.join(repo, ".git"));
        const dir = path.join(repo, "infra");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\ndescription: Demo stack\n");
        fs.writeFileSync(
            path.join(dir, "Pulumi.dev.yaml"),
            "config:\n  pulumi:tags:\n    team: iam\n    pulumi:project: overridden\n",
        );
        fs.writeFileSync(path.join(dir, "index.ts"), "");
        const proj = loadProject(dir);
        const { entries, file } = readStackFile(proj, "dev");
        expect(environmentTags(proj, entries, file)).toEqual({
            "pulumi:project": "overridden",
            "pulumi:runtime": "nodejs",
            "pulumi:description": "Demo stack",
            team: "iam",
            "vcs:root": "infra",
        });
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  pulumi:tags:\n    n: 1\n");
        expect(() => environmentTags(proj, readStackFile(proj, "dev").entries, file)).toThrow(
            "pulumi:tags[n] must be a string",
        );
    });
});

describe("policy config (the CLI's half)", () => {
    const policies: PolicySchemaInfo[] = [
        {
            name: "algs",
            enforcementLevel: "mandatory",
            schema: {
                properties: {
                    allowed: { type: "array", items: { type: "string" }, default: ["RS256"] },
                    max: { type: "number" },
                },
                required: [],
            },
        },
        {
            name: "idp",
            enforcementLevel: "mandatory",
            schema: {
                properties: { strategies: { type: "array", items: { type: "string" } } },
                required: ["strategies"],
            },
        },
        { name: "hint", enforcementLevel: "advisory" },
    ];
    const FILE = "policy/config/dev.json";

    it("applies schema defaults, then `all`, then each policy's level and settings", () => {
        const given = parsePolicyConfig(
            {
                all: "advisory",
                idp: { enforcementLevel: "mandatory", strategies: ["google-oauth2"] },
                algs: { max: 3600 },
            },
            FILE,
        );
        const config = reconcilePolicyConfig(policies, {}, given, FILE);
        expect(config["algs"]).toEqual({ enforcementLevel: "advisory", properties: { allowed: ["RS256"], max: 3600 } });
        expect(config["idp"]).toEqual({ enforcementLevel: "mandatory", properties: { strategies: ["google-oauth2"] } });
        expect(config["hint"]).toEqual({ enforcementLevel: "advisory", properties: {} });
    });

    it.each([
        [{ idp: { strategies: "google-oauth2" } }, "invalid policy config: idp: strategies must be array"],
        [{ algs: { allowed: [1] }, idp: { strategies: [] } }, "invalid policy config: algs: allowed.0 must be string"],
        [{}, "invalid policy config: idp: strategies is required"],
        [
            { idp: { strategies: [] }, "idp-typo": "disabled" },
            "invalid policy config: 'idp-typo' is not a policy of this pack",
        ],
        [{ idp: "blocking" }, 'invalid policy config: idp: "blocking" is not a valid enforcement level'],
        [
            { idp: { strategies: [], strategy: ["oidc"] } },
            "invalid policy config: idp: strategy is not a setting of this policy",
        ],
        [
            { idp: { strategies: [] }, hint: { verbose: true } },
            "invalid policy config: hint: verbose is not a setting of this policy",
        ],
        [
            { all: { enforcementLevel: "mandatory", max: 1 }, idp: { strategies: [] } },
            'invalid policy config: all: max is not a setting of "all"',
        ],
        [null, "invalid policy config: the policy pack config must be a JSON object"],
    ])("rejects %j naming the policy and key", (doc, message) => {
        expect(() => reconcilePolicyConfig(policies, {}, parsePolicyConfig(doc, FILE), FILE)).toThrow(message);
    });

    it("applies the pack's initial config before the file, like the CLI", () => {
        const initial = {
            all: { enforcementLevel: "disabled" as const, properties: {} },
            algs: { enforcementLevel: "advisory" as const, properties: { max: 10 } },
        };
        const config = reconcilePolicyConfig(
            policies,
            initial,
            parsePolicyConfig({ idp: { strategies: [] }, algs: { max: 20 } }, FILE),
            FILE,
        );
        expect(config["algs"]).toEqual({ enforcementLevel: "advisory", properties: { allowed: ["RS256"], max: 20 } });
        expect(defined(config["hint"], "the hint policy's config").enforcementLevel).toBe("disabled");
        const overridden = reconcilePolicyConfig(
            policies,
            initial,
            parsePolicyConfig({ all: "mandatory", idp: { strategies: [] } }, FILE),
            FILE,
        );
        expect(overridden["algs"]).toEqual({
            enforcementLevel: "mandatory",
            properties: { allowed: ["RS256"], max: 10 },
        });
    });

    it("reports the first problem in one line and counts the others", () => {
        expect(() =>
            reconcilePolicyConfig(
                policies,
                {},
                parsePolicyConfig({ algs: { max: "1" }, idp: { strategies: "x" } }, FILE),
                FILE,
            ),
        ).toThrow(
            `invalid policy config: algs: max must be number (${FILE}): fix 'max' under "algs" (1 more problem after this one)`,
        );
    });
});
