/**
 * End-to-end: the CLI entry (in-process) runs fixture programs in a child process and launches real policy packs
 * through @pulumi/pulumi's run-policy-pack, exactly as `auth0-mcp check` does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../../src/check/check";
import { parseCommand } from "../../src/check/args";
import { main, render } from "../../src/check/cli";
import { cli, FIXTURES, MINI_PACK, MINI_PACK_TS, program, REPO } from "./helpers";
import { JSON_REPORT_KEYS } from "../helpers/json-report";

/** The 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
    const index = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes(text));
    expect(index, `${text} in ${file}`).toBeGreaterThanOrEqual(0);
    return index + 1;
}

describe("auth0-mcp check: verdicts", () => {
    it("passes the dev stack of this repository against the committed policy pack (exit 0)", async () => {
        const { code, stdout, stderr } = await cli("--dir", REPO, "--stack", "dev", "--format", "json");
        expect(stderr).toBe("");
        const report = JSON.parse(stdout);
        expect(
            report.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory"),
        ).toEqual([]);
        // This repository's stacks keep their config where the default rule looks: next to Pulumi.dev.yaml.
        expect(report.policyConfig).toEqual({ file: "Pulumi.dev.policy.json", lookedFor: "Pulumi.dev.policy.json" });
        expect(report.resources.map((r: { type: string }) => r.type)).toEqual(
            expect.arrayContaining([
                "auth0:index/tenant:Tenant",
                "auth0:index/resourceServer:ResourceServer",
                "auth0:index/connection:Connection",
            ]),
        );
        // Resources created inside the components are located where src/program/stack.ts constructs the component; McpApi
        // is built in an arrow inside `.map(...)` (no SDK source position), so its line comes from the stack trace.
        const at = (type: string) => report.resources.find((r: { type: string }) => r.type === type)?.location;
        const program = path.join(REPO, "src/program/stack.ts");
        const mcpApiLine = { file: "src/program/stack.ts", line: lineOf(program, "new McpApi(") };
        const tenantLine = { file: "src/program/stack.ts", line: lineOf(program, "new TenantMcpSettings(") };
        expect(at("auth0-mcp:index:McpApi")).toEqual(mcpApiLine);
        expect(at("auth0:index/resourceServer:ResourceServer")).toEqual(mcpApiLine);
        expect(at("auth0:index/tenant:Tenant")).toEqual(tenantLine);
        expect(at("auth0:index/connection:Connection")).toEqual(tenantLine);
        expect(code).toBe(0);
    });

    it("blocks a raw-resource program: default audience on an HS256 API and an unapproved promoted connection (exit 1)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-report-"));
        const out = path.join(dir, "report.json");
        const { code, stdout, stderr } = await cli(
            "--dir",
            program("raw-violations"),
            "--format",
            "json",
            "--output",
            out,
        );
        expect(code).toBe(1);
        expect(stdout).toBe("");
        expect(stderr).toMatch(/^FAIL: raw-violations\/dev has \d+ mandatory/);
        const report = JSON.parse(fs.readFileSync(out, "utf8"));
        expect(Object.keys(report)).toEqual(JSON_REPORT_KEYS);
        // Issue 7 §5: a program outside this package is never judged with this package's example configs
        // (policy/config/dev.json): its own Pulumi.dev.policy.json is looked for, and its absence is reported.
        expect(report.policyConfig).toEqual({
            file: null,
            lookedFor: "test/fixtures/programs/raw-violations/Pulumi.dev.policy.json",
        });
        expect(report.outputsMode).toBe("planned-create");
        expect(report.project).toBe("raw-violations");
        expect(report.stack).toBe("dev");
        const fixture = path.join(program("raw-violations"), "index.ts");
        const rel = "test/fixtures/programs/raw-violations/index.ts";
        expect(report.resources).toContainEqual({
            urn: "urn:pulumi:dev::raw-violations::auth0:index/tenant:Tenant::tenant",
            type: "auth0:index/tenant:Tenant",
            name: "tenant",
            location: { file: rel, line: lineOf(fixture, 'new auth0.Tenant("tenant"') },
        });
        const mandatory = report.violations.filter(
            (v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory",
        );
        expect(mandatory).toContainEqual(
            expect.objectContaining({
                policy: "default-audience-requires-validation",
                urn: "urn:pulumi:dev::raw-violations::auth0:index/tenant:Tenant::tenant",
                message: expect.stringContaining("HS256"),
            }),
        );
        expect(mandatory).toContainEqual(
            expect.objectContaining({
                policy: "approved-identity-providers",
                urn: "urn:pulumi:dev::raw-violations::auth0:index/connection:Connection::github",
                message: expect.stringContaining("github"),
                location: { file: rel, line: lineOf(fixture, 'new auth0.Connection("github"') },
                remediation: expect.stringMatching(/\S/),
            }),
        );
        for (const v of report.violations) {
            expect(Object.keys(v)).toEqual([
                "policy",
                "enforcementLevel",
                "severity",
                "urn",
                "message",
                "location",
                "remediation",
            ]);
        }
        expect(report.summary.mandatory).toBe(mandatory.length);
    });

    // The TypeScript pack: a pack in TypeScript loads (type-checked by run-policy-pack) and judges.
    it("counts a mandatory rule that reads a value unknown at preview as a mandatory violation (exit 1)", async () => {
        const { code, stdout } = await cli(
            "--dir",
            program("unknown-input"),
            "--policy-pack",
            MINI_PACK_TS,
            "--format",
            "json",
        );
        const report = JSON.parse(stdout);
        expect(report.violations).toEqual([
            expect.objectContaining({
                policy: "no-hs256",
                enforcementLevel: "mandatory",
                urn: "urn:pulumi:dev::unknown-input::auth0:index/resourceServer:ResourceServer::second",
                message: expect.stringContaining(".signingAlg can't be known"),
            }),
        ]);
        expect(code).toBe(1);
    });
});

describe("auth0-mcp check: secrets never reach a report", () => {
    it("redacts a stack-config secret in text, json and sarif, and never uses the ciphertext", async () => {
        const result = await runCheck({ dir: program("secret-config"), stack: "dev", policyPack: MINI_PACK });
        // The pack saw the secret (it quoted it in its message), so redaction is exercised, not bypassed.
        expect(result.violations.map((v) => v.message).join("\n")).toContain("signingAlg '[secret]'");
        const outputs = { text: render(result, "text"), json: render(result, "json"), sarif: render(result, "sarif") };
        for (const [format, text] of Object.entries(outputs)) {
            expect(text, format).not.toContain("hS256");
            expect(text, format).not.toContain("CIPHERTEXT-SENTINEL-b9e41d");
            expect(text, format).toContain("[secret]");
        }
        const { code, stdout, stderr } = await cli(
            "--dir",
            program("secret-config"),
            "--policy-pack",
            MINI_PACK,
            "--format",
            "sarif",
        );
        expect(code).toBe(1);
        expect(stdout + stderr).not.toContain("SENTINEL");
        const sarif = JSON.parse(stdout);
        expect(sarif.version).toBe("2.1.0");
        expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
            "no-hs256",
            "audience-declared",
            "prefer-names",
        ]);
        const [res] = sarif.runs[0].results;
        expect(res).toMatchObject({ ruleId: "no-hs256", level: "error" });
        expect(res.locations[0].physicalLocation).toEqual({
            artifactLocation: { uri: "test/fixtures/programs/secret-config/index.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 5 },
        });
    });
});

describe("auth0-mcp check: invalid input exits 2 with one line saying what and where", () => {
    const oneLine = (stderr: string) => {
        expect(stderr.trimEnd().split("\n")).toHaveLength(1);
        return stderr;
    };

    it("no Pulumi.yaml", async () => {
        const { code, stdout, stderr } = await cli("--dir", path.join(FIXTURES, "packs"));
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(oneLine(stderr)).toMatch(/error: no Pulumi\.yaml \(test\/fixtures\/packs\)/);
    });

    it("no stack file", async () => {
        const { code, stderr } = await cli("--dir", program("no-stack-file"), "--stack", "dev");
        expect(code).toBe(2);
        expect(oneLine(stderr)).toContain(
            "no stack file for stack 'dev' (test/fixtures/programs/no-stack-file/Pulumi.dev.yaml)",
        );
    });

    it("invalid stack config", async () => {
        const { code, stderr } = await cli("--dir", program("bad-stack-config"));
        expect(code).toBe(2);
        expect(oneLine(stderr)).toContain(
            "invalid stack config: 'bad-stack-config:tokenLifetime' must be of type integer",
        );
        expect(stderr).toContain("test/fixtures/programs/bad-stack-config/Pulumi.dev.yaml");
    });

    it("the program throws", async () => {
        const { code, stderr } = await cli("--dir", program("throws"), "--policy-pack", MINI_PACK);
        expect(code).toBe(2);
        expect(oneLine(stderr)).toContain(
            "the program threw: tenant domain is not configured (test/fixtures/programs/throws/index.ts:4)",
        );
    });

    it("invalid policy config", async () => {
        const file = path.join(FIXTURES, "policy-config", "mini-invalid.json");
        const { code, stderr } = await cli(
            "--dir",
            program("raw-violations"),
            "--policy-pack",
            MINI_PACK,
            "--policy-config",
            file,
        );
        expect(code).toBe(2);
        expect(oneLine(stderr)).toContain(
            "invalid policy config: no-hs256: allowedAlgs must be array (test/fixtures/policy-config/mini-invalid.json)",
        );
    });

    it("the policy pack fails to load (type error under the CLI's type-checked load)", async () => {
        const { code, stderr } = await cli(
            "--dir",
            program("raw-violations"),
            "--policy-pack",
            path.join(FIXTURES, "packs", "broken-types"),
        );
        expect(code).toBe(2);
        expect(oneLine(stderr)).toMatch(
            /the policy pack failed to load: .*error TS6133.*\(test\/fixtures\/packs\/broken-types\)/,
        );
    });

    it("a bad command line", async () => {
        const { code, stderr } = await cli("--format", "xml");
        expect(code).toBe(2);
        expect(oneLine(stderr)).toContain("--format must be text, json or sarif");
        const tag = await cli("--tag", "no-equals-sign");
        expect(tag.code).toBe(2);
        expect(oneLine(tag.stderr)).toContain("--tag needs KEY=VALUE, not 'no-equals-sign'");
    });
});

describe("auth0-mcp: command line without a check", () => {
    async function run(argv: string[], stderrIsTTY = false) {
        let stdout = "";
        let stderr = "";
        const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stderrIsTTY });
        return { code, stdout, stderr };
    }

    it("bare `auth0-mcp` prints the usage on stderr and exits 2, so a script that forgot the command does not pass", async () => {
        const { code, stdout, stderr } = await run([]);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toMatch(/^auth0-mcp: error: no command given \(command line\): run 'auth0-mcp check'/);
        expect(stderr).toContain("Usage: auth0-mcp check");
    });

    it("--help prints the usage on stdout (exit 0), documenting --version, the reports and the exit codes", async () => {
        const { code, stdout, stderr } = await run(["--help"]);
        expect(code).toBe(0);
        expect(stderr).toBe("");
        expect(stdout).toContain("auth0-mcp --version");
        expect(stdout).toContain(
            "Exit status: 0 no mandatory violation; 1 at least one mandatory violation; 2 invalid input",
        );
        expect(stdout).toContain("the line of your program that declared it");
    });

    it("--version prints this package's version", async () => {
        const { code, stdout } = await run(["--version"]);
        expect(code).toBe(0);
        expect(stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version}\n`);
    });

    it("shows a progress line on a terminal's stderr and erases it before the verdict; none when stderr is not a terminal", async () => {
        const failing = await run(["check", "--dir", path.join(FIXTURES, "packs")], true);
        expect(failing.code).toBe(2);
        expect(failing.stderr).toMatch(
            // eslint-disable-next-line no-control-regex -- the terminal's erase-line escape (ESC [K) is what this asserts
            /^\r\x1b\[Kauth0-mcp check: running the program and starting the policy pack…\r\x1b\[Kauth0-mcp check: error: no Pulumi\.yaml/,
        );
        const tty = await run(
            ["check", "--dir", program("unknown-input"), "--policy-pack", MINI_PACK, "--format", "json"],
            true,
        );
        expect(tty.code).toBe(1);
        expect(tty.stderr).toContain("auth0-mcp check: analyzing 3 resources with ");
        expect(tty.stderr.endsWith("\r\x1b[K")).toBe(true);
        expect(JSON.parse(tty.stdout).summary.mandatory).toBe(1);
        // Not a terminal (CI logs, the tests' cli helper): nothing but the error line.
        const plain = await run(["check", "--dir", path.join(FIXTURES, "packs")]);
        expect(plain.stderr).not.toContain("\r");
        expect(plain.stderr).not.toContain("running the program");
    });
});

describe("auth0-mcp check: --organization and --tag reach the check", () => {
    it("parses repeatable tags (later wins) and the organization", () => {
        const cmd = parseCommand([
            "check",
            "--organization",
            "acme",
            "--tag",
            "team=iam",
            "--tag",
            "env=dev",
            "--tag",
            "team=sec",
            "--tag",
            "note=a=b",
        ]);
        expect(cmd).toMatchObject({
            kind: "check",
            args: { organization: "acme", tags: { team: "sec", env: "dev", note: "a=b" } },
        });
    });

    it("--no-policy-config (CI: a stack the base branch has no config for) excludes --policy-config", () => {
        expect(parseCommand(["check", "--no-policy-config"])).toMatchObject({
            kind: "check",
            args: { noPolicyConfig: true },
        });
        expect(parseCommand(["check"])).not.toHaveProperty("args.noPolicyConfig");
        expect(() => parseCommand(["check", "--no-policy-config", "--policy-config", "x.json"])).toThrow(
            "--policy-config and --no-policy-config exclude each other",
        );
    });
});
