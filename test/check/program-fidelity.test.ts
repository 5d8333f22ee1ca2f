/**
 * Issue 7 §2–3: the offline check never judges a partial program, and runs programs the way the Node.js language
 * host does (pulumi/pulumi sdk/nodejs/cmd/run/run.ts `run`, driven here from the program's own SDK):
 * - cmd/run/run.ts `run`: ts-node registered from the program's SDK with its tsconfig.json, type-checking unless
 *   PULUMI_NODEJS_TRANSPILE_ONLY; uncaught exceptions and unhandled rejections are logged and fail the run;
 * - cmd/run/index.ts: the process lives until the event loop drains (`beforeExit`), so resources registered after
 *   the program's main returns are deployed;
 * - log/index.ts `error`: counts logged errors (`hasErrors`), which fail the run;
 * - runtime/invoke.ts `invoke`: a failed invoke RPC rejects with the engine's `details`;
 * - runtime/callbacks.ts `registerTransform` / runtime/stack.ts `registerResourceTransform`: transforms are
 *   callbacks the engine applies while registering, which the check refuses rather than ignores.
 * Runner behaviour is tested through runProgram (no policy pack); the CLI only where the verdict matters.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckInputError, displayPath } from "../../src/check/errors";
import { parseInvokeResults, readInvokeResultsFile } from "../../src/check/program/invoke-results";
import { runProgram } from "../../src/check/program-runner";
import { cli, MINI_PACK, program, REPO, runDevStack } from "./helpers";

const rel = (p: string) => path.relative(process.cwd(), p);

const run = runDevStack;

/** The CLI's JSON verdict on a fixture program with the mini pack: exit code and "policy urn" per violation. */
async function judgeWithMiniPack(name: string): Promise<{ code: number; violations: string[] }> {
    const { code, stdout } = await cli("--dir", program(name), "--policy-pack", MINI_PACK, "--format", "json");
    const report = JSON.parse(stdout) as { violations: Array<{ policy: string; urn: string }> };
    return { code, violations: report.violations.map((v) => `${v.policy} ${v.urn}`) };
}

/** The one-line exit-2 message a run is refused with. */
async function refusal(dir: string, extra: Partial<Parameters<typeof runProgram>[0]> = {}): Promise<string> {
    const err = await run(dir, extra).then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CheckInputError);
    return (err as CheckInputError).oneLine();
}

/**
 * Runs `f` with PULUMI_NODEJS_TRANSPILE_ONLY set to `value` (unset for undefined), then puts back what was there:
 * deleting it afterwards would make every later run in this file type-check.
 */
async function withTranspileOnly<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
    const before = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
    if (value === undefined) delete process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
    else process.env["PULUMI_NODEJS_TRANSPILE_ONLY"] = value;
    try {
        return await f();
    } finally {
        if (before === undefined) delete process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
        else process.env["PULUMI_NODEJS_TRANSPILE_ONLY"] = before;
    }
}

/** A throwaway program directory resolving this repository's node_modules (files the repo typecheck must not see). */
function tempProgram(name: string, index: string, extra: Record<string, string> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `auth0-mcp-${name}-`));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  auth0:domain: example.eu.auth0.com\n");
    fs.writeFileSync(path.join(dir, "index.ts"), index);
    for (const [file, text] of Object.entries(extra)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
    }
    if (!fs.existsSync(path.join(dir, "node_modules"))) {
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    }
    return dir;
}

describe("never a partial program (issue 7 §2)", () => {
    // The language host's own switch (cmd/run/run.ts): these programs are about runtime behaviour, not types.
    // Restored afterwards rather than deleted: vitest.config.mts sets it for the whole suite, and deleting it made
    // the later tests type-check (seconds per run) although only the type-error test is about type-checking.
    let transpileOnly: string | undefined;
    beforeAll(() => {
        transpileOnly = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
        process.env["PULUMI_NODEJS_TRANSPILE_ONLY"] = "true";
    });
    afterAll(() => {
        if (transpileOnly === undefined) delete process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
        else process.env["PULUMI_NODEJS_TRANSPILE_ONLY"] = transpileOnly;
    });

    it("an apply callback that throws is exit 2 with its message and the user's line", async () => {
        expect(await refusal(program("apply-throws"))).toBe(
            `the program threw: cannot derive the audience from https://mcp.example.com/mcp (${rel(program("apply-throws"))}/index.ts:5): ` +
                "fix the program so that `pulumi preview` would run",
        );
    });

    it("an error logged through the SDK (pulumi.log.error) is exit 2", async () => {
        expect(await refusal(program("logs-error"))).toBe(
            `the program logged an error: the MCP server's tenant is not reachable from this network (${rel(program("logs-error"))}/index.ts:5): ` +
                "fix the cause of the logged error (`pulumi preview` fails on it too)",
        );
    });

    it("an invoke in output form (getClientOutput) is exit 2 naming the function and the calling line", async () => {
        expect(await refusal(program("invoke-output"))).toBe(
            "the program calls the data source auth0:index/getClient:getClient, which needs the provider and Auth0 and cannot run offline " +
                `(${rel(program("invoke-output"))}/index.ts:3): pass --invoke-results FILE with a canned result for that data source or read (format: auth0-mcp check --help)`,
        );
    });

    it("an invoke in promise form (await getTenant()) inside an exported async main is exit 2", async () => {
        expect(await refusal(program("invoke-promise"))).toContain(
            `the program calls the data source auth0:index/getTenant:getTenant, which needs the provider and Auth0 and cannot run offline (${rel(program("invoke-promise"))}/index.ts:4)`,
        );
    });

    it("canned invoke results feed the program; a call no case matches is exit 2 with its arguments", async () => {
        const results = readInvokeResultsFile(path.join(program("invoke-output"), "invoke-results.json"));
        const { resources } = await run(program("invoke-output"), { invokeResults: results });
        const api = resources.find((r) => r.name === "mcp-api");
        expect(api?.inputs["name"]).toBe("MCP API for dashboard-client-id");

        const other = parseInvokeResults(
            { "auth0:index/getClient:getClient": [{ args: { name: "other" }, result: { clientId: "x" } }] },
            "results.json",
        );
        expect(await refusal(program("invoke-output"), { invokeResults: other })).toContain(
            'the program calls the data source auth0:index/getClient:getClient with arguments {"name":"dashboard"}, which no case in the invoke results file matches',
        );
    });

    it("reads of existing state (StackReference, Resource.get) are exit 2 unless the results file has their state", async () => {
        const dir = tempProgram(
            "reads",
            [
                'import * as pulumi from "@pulumi/pulumi";',
                'import * as auth0 from "@pulumi/auth0";',
                'const shared = new pulumi.StackReference("org/shared/prod");',
                'const existing = auth0.ResourceServer.get("existing", "rs-123");',
                'new auth0.Tenant("t", { defaultAudience: existing.identifier, friendlyName: shared.getOutput("tenantName") as pulumi.Output<string> });',
            ].join("\n"),
        );
        const message = await refusal(dir);
        expect(message).toMatch(
            /\[1\] the program reads another stack's outputs \(StackReference "org\/shared\/prod"\), which needs the backend and cannot run offline \(.*index\.ts:3\)/,
        );
        expect(message).toContain(
            '[2] the program reads the existing resource auth0:index/resourceServer:ResourceServer "existing" (id rs-123), which needs the provider and Auth0',
        );

        const states = parseInvokeResults(
            {
                "pulumi:pulumi:StackReference": {
                    name: "org/shared/prod",
                    outputs: { tenantName: "Shared" },
                    secretOutputNames: [],
                },
                "auth0:index/resourceServer:ResourceServer": [
                    { args: { id: "rs-123" }, result: { identifier: "https://existing.example.com" } },
                ],
            },
            "states.json",
        );
        const { resources } = await run(dir, { invokeResults: states });
        expect(resources.find((r) => r.name === "t")?.inputs).toMatchObject({
            defaultAudience: "https://existing.example.com",
            friendlyName: "Shared",
        });
    });

    it("resources registered after main returns (fire-and-forget async, timers) are recorded, as the language host waits for them", async () => {
        const { resources } = await run(program("late-registration"));
        expect(resources.map((r) => r.name)).toEqual(expect.arrayContaining(["after-await", "from-timer"]));
    });

    it("late resources are judged: the HS256 API registered after an await fails the pack (exit 1)", async () => {
        const { code, violations } = await judgeWithMiniPack("late-registration");
        expect(violations).toContain(
            "no-hs256 urn:pulumi:dev::late-registration::auth0:index/resourceServer:ResourceServer::after-await",
        );
        expect(code).toBe(1);
    });

    it("registerResourceTransform is refused (exit 2) at the line that registers it", async () => {
        expect(await refusal(program("resource-transforms"))).toBe(
            "the program calls registerResourceTransform, a resource transform; the offline check cannot apply them; run `pulumi preview --policy-pack` " +
                `for this program, or remove the transforms (${rel(program("resource-transforms"))}/index.ts:4): ` +
                "remove the transforms or judge this program with `pulumi preview --policy-pack`",
        );
    });

    it("the transforms resource option is refused (exit 2) at the resource's line", async () => {
        expect(await refusal(program("transforms-option"))).toContain(
            `auth0:index/resourceServer:ResourceServer "mcp-api" has the \`transforms\` resource option; the offline check cannot apply them; ` +
                `run \`pulumi preview --policy-pack\` for this program, or remove the transforms (${rel(program("transforms-option"))}/index.ts:3)`,
        );
    });

    it("registerStackTransformation (old style, applied inside the SDK) keeps working", async () => {
        const dir = tempProgram(
            "old-transformations",
            [
                'import * as pulumi from "@pulumi/pulumi";',
                'import * as auth0 from "@pulumi/auth0";',
                'pulumi.runtime.registerStackTransformation((a) => ({ props: { ...a.props, signingAlg: "HS256" }, opts: a.opts }));',
                'new auth0.ResourceServer("api", { identifier: "https://mcp.example.com/mcp", signingAlg: "RS256" });',
            ].join("\n"),
        );
        const { resources } = await run(dir);
        expect(resources.find((r) => r.name === "api")?.inputs["signingAlg"]).toBe("HS256");
    });

    it("a config error keeps every problem the program reported", async () => {
        const message = await refusal(program("config-three-problems"));
        expect(message).toContain("Stack config is invalid (3 problems)");
        expect(message).toContain("auth0-mcp:tenantt: is not a known key");
        expect(message).toContain("auth0:domain: is not set");
        expect(message).toContain("auth0-mcp:apis: is not set");
    });

    it("several problems are all reported, each with its line", async () => {
        const dir = tempProgram(
            "several",
            [
                'import * as pulumi from "@pulumi/pulumi";',
                'import * as auth0 from "@pulumi/auth0";',
                'pulumi.log.error("first problem");',
                "auth0.getTenantOutput({});",
            ].join("\n"),
        );
        const message = await refusal(dir);
        expect(message).toMatch(
            /^the program reported 2 problems: \[1\] the program logged an error: first problem \(.*index\.ts:3\) /,
        );
        expect(message).toMatch(
            /\[2\] the program calls the data source auth0:index\/getTenant:getTenant, .* \(.*index\.ts:4\)/,
        );
    });

    it("a program that calls process.exit before its work is done is exit 2", async () => {
        const dir = tempProgram(
            "exits",
            ['import * as auth0 from "@pulumi/auth0";', 'new auth0.Tenant("t", {});', "process.exit(0);"].join("\n"),
        );
        expect(await refusal(dir)).toMatch(
            /^the program exited \(process\.exit\(0\)\) before its work was done \(.*index\.ts:3\)/,
        );
    });

    it("a secret value quoted in a problem is redacted", async () => {
        const dir = tempProgram(
            "secret-in-error",
            [
                'import * as pulumi from "@pulumi/pulumi";',
                'import * as auth0 from "@pulumi/auth0";',
                'new auth0.ResourceServer("api", { identifier: "https://mcp.example.com/mcp", signingAlg: pulumi.secret("SECRET-ALG-7f3a") });',
            ].join("\n"),
        );
        const message = await refusal(dir);
        expect(message).not.toContain("SECRET-ALG-7f3a");
        expect(message).toContain("[secret]");
    });
});

describe("real programs, as they are in the wild (issue 7 §3)", () => {
    beforeAll(() => {
        // Fixture programs with their own pinned node_modules (npm pretest runs the same script).
        execFileSync("bash", [path.join(REPO, "scripts", "install-fixtures.sh")], { stdio: "inherit" });
    }, 300_000);

    it("passes Pulumi.yaml nodeargs to node, relative module paths taken from the program directory", async () => {
        await withTranspileOnly("true", async () => {
            const dir = tempProgram(
                "nodeargs",
                [
                    'import * as auth0 from "@pulumi/auth0";',
                    'new auth0.Tenant("t", { friendlyName: (globalThis as Record<string, unknown>)["setupRan"] as string });',
                ].join("\n"),
                {
                    "Pulumi.yaml":
                        'name: nodeargs\nruntime:\n  name: nodejs\n  options:\n    nodeargs: "--require ./setup.js"\n',
                    "setup.js": 'globalThis.setupRan = "setup.js ran first";\n',
                },
            );
            const { resources } = await run(dir);
            expect(resources.find((r) => r.name === "t")?.inputs["friendlyName"]).toBe("setup.js ran first");
        });
    });

    it("a type error fails the run with the compiler's file:line, as the language host type-checks", async () => {
        // Unset: the default a user runs with (vitest.config.mts sets it).
        await withTranspileOnly(undefined, async () => {
            // No SDK import: ts-node type-checks the program (transpile-only it would run it, and pass), and the
            // compiler's diagnostic and its file:line do not depend on what the program imports; @pulumi/auth0's
            // declarations were most of this run's seconds.
            const dir = tempProgram(
                "type-error",
                ['export const tenantName = "t";', "", 'const n: number = "three";'].join("\n"),
            );
            expect(await refusal(dir)).toMatch(
                /^the program does not compile: index\.ts:3:7 error TS2322: Type 'string' is not assignable to type 'number'\. \(.*index\.ts:3\): fix the TypeScript errors/,
            );
        });
    });

    it("a syntax error fails the run with its file:line, even transpile-only", async () => {
        await withTranspileOnly("true", async () => {
            const dir = tempProgram(
                "syntax-error",
                ['import * as auth0 from "@pulumi/auth0";', 'new auth0.Tenant("t", {});', "const broken = ;"].join(
                    "\n",
                ),
            );
            expect(await refusal(dir)).toMatch(
                /^the program does not compile: index\.ts:3:16 error TS1109: Expression expected\. \(.*index\.ts:3\)/,
            );
        });
    });

    it("runs a program pinned to @pulumi/pulumi 3.0.0 (the oldest supported) with its own ts-node 7 and TypeScript 3.7", async () => {
        const { resources } = await run(program("sdk-oldest"));
        const api = resources.find((r) => r.type === "auth0:index/resourceServer:ResourceServer");
        expect(api?.inputs).toMatchObject({ identifier: "https://mcp.example.com/mcp", signingAlg: "HS256" });
        const sdk = JSON.parse(
            fs.readFileSync(path.join(program("sdk-oldest"), "node_modules/@pulumi/pulumi/package.json"), "utf8"),
        );
        expect(sdk.version).toBe("3.0.0");
    });

    it("judges the 3.0.0 program end to end (exit 1 on its HS256 API)", async () => {
        const { code, violations } = await judgeWithMiniPack("sdk-oldest");
        expect(violations).toContain(
            "no-hs256 urn:pulumi:dev::sdk-oldest::auth0:index/resourceServer:ResourceServer::mcp-api",
        );
        expect(code).toBe(1);
    });

    // Transpile-only, as the suite runs programs (vitest.config.mts): ts-node still compiles the program with its own
    // TypeScript and tsconfig.json; type-checking is the type-error test's subject. (SDK 3.0.0 above ignores the
    // switch and always type-checks, as its language host did.)
    it("runs a recent SDK laid out as `pulumi new` makes it: its own TypeScript and tsconfig.json, the SDK's vendored ts-node", async () => {
        const { resources } = await run(program("sdk-recent"));
        const api = resources.find((r) => r.type === "auth0:index/resourceServer:ResourceServer");
        expect(api?.inputs).toMatchObject({ signingAlg: "HS256" });
        expect(api?.source).toEqual({ uri: path.join(program("sdk-recent"), "index.ts"), line: 11 });
    });

    it("refuses an SDK older than 3.0.0 with the README's message", async () => {
        const dir = tempProgram("sdk-2", 'import * as pulumi from "@pulumi/pulumi";\n', {
            "package.json": '{ "name": "sdk-2", "dependencies": { "@pulumi/pulumi": "2.25.2" } }\n',
        });
        fs.unlinkSync(path.join(dir, "node_modules"));
        fs.mkdirSync(path.join(dir, "node_modules/@pulumi/pulumi"), { recursive: true });
        fs.writeFileSync(
            path.join(dir, "node_modules/@pulumi/pulumi/package.json"),
            '{ "name": "@pulumi/pulumi", "version": "2.25.2" }\n',
        );
        const message = await refusal(dir);
        expect(message).toBe(
            `@pulumi/pulumi 2.25.2 is older than 3.0.0, the oldest version the offline check supports; upgrade it in ${displayPath(path.join(dir, "package.json"))} (${displayPath(dir)})`,
        );
    });
});

describe("--invoke-results file", () => {
    it("accepts a result object or a list of cases per function token", () => {
        expect(
            parseInvokeResults(
                {
                    "auth0:index/getTenant:getTenant": { domain: "example.eu.auth0.com" },
                    "auth0:index/getClient:getClient": [
                        { args: { name: "a" }, result: { clientId: "1" } },
                        { result: { clientId: "2" } },
                    ],
                },
                "f.json",
            ),
        ).toEqual({
            "auth0:index/getTenant:getTenant": [{ result: { domain: "example.eu.auth0.com" } }],
            "auth0:index/getClient:getClient": [
                { args: { name: "a" }, result: { clientId: "1" } },
                { result: { clientId: "2" } },
            ],
        });
    });

    it("says what is wrong, where and how to fix it", () => {
        const msg = (doc: unknown) => {
            try {
                parseInvokeResults(doc, "results.json");
            } catch (e) {
                return (e as CheckInputError).oneLine();
            }
            return "accepted";
        };
        expect(msg([])).toContain("invalid invoke results: the file is not a JSON object (results.json)");
        expect(msg({ getClient: {} })).toContain(
            "'getClient' is not a function token (results.json): use the token the SDK invokes",
        );
        expect(msg({ "auth0:index/getClient:getClient": [{ args: {} }] })).toContain(
            'auth0:index/getClient:getClient[0] must be { "args"?: object, "result": object }',
        );
        expect(msg({ "auth0:index/getClient:getClient": [{ result: {}, when: 1 }] })).toContain("has unknown key when");
        expect(() => readInvokeResultsFile(path.join(os.tmpdir(), "no-such-results.json"))).toThrow(
            /the invoke results file does not exist/,
        );
    });
});
