/**
 * The check analyzes each resource while the program still runs, as the engine does (pkg/resource/deploy/
 * step_generator.go GenerateSteps runs the analyzers on every RegisterResource event): the program child streams
 * what it records (runner-child.ts ResourceStream), the analyzer takes it from a ResourceFeed (resource-feed.ts).
 * Streaming may change when a resource is analyzed, never what the pack is sent: these tests compare each
 * streamed result with the same input known all at once.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStack } from "../../src/check/analyze";
import { UNKNOWN } from "../../src/check/engine-wire";
import { CheckInputError } from "../../src/check/errors";
import { startPack, type PackIdentity, type RunningPack } from "../../src/check/pack-host";
import { loadProject } from "../../src/check/project";
import { runProgram, type ProgramRun } from "../../src/check/program-runner";
import { Providers } from "../../src/check/providers";
import { customResource } from "../../src/check/recorded-resource";
import { FeedRestarted, ResourceFeed } from "../../src/check/resource-feed";
import { readStackFile } from "../../src/check/stack-config";
import type { RecordedResource } from "../../src/check/types";
import { defined } from "../helpers/defined";
import { cli, FIXTURES, MINI_PACK, REPO } from "./helpers";

const PROBE = path.join(FIXTURES, "packs", "probe");
const ROOT = "urn:pulumi:dev::probe::pulumi:pulumi:Stack::probe-dev";
const PROVIDER = "urn:pulumi:dev::probe::pulumi:providers:test::p";
const A = "urn:pulumi:dev::probe::test:index:Thing::a";
const B = "urn:pulumi:dev::probe::test:index:Thing::b";
const DEFAULT_PROVIDER = "urn:pulumi:dev::probe::pulumi:providers:test::default_2_0_0";
const who: PackIdentity = { project: "probe", stack: "dev", organization: "acme", config: [], tags: {} };

/** The stack, an explicit provider, a remediated thing on it and a thing on the default provider. */
function probeResources(): RecordedResource[] {
    return [
        customResource({ urn: ROOT, type: "pulumi:pulumi:Stack", name: "probe-dev", custom: false, outputs: {} }),
        customResource({ urn: PROVIDER, type: "pulumi:providers:test", name: "p", parent: ROOT, version: "1.2.3" }),
        customResource({
            urn: A,
            type: "test:index:Thing",
            name: "a",
            parent: ROOT,
            provider: `${PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
            inputs: { keep: "k", removeMe: 1 },
            outputs: { keep: "k", removeMe: 1, id: UNKNOWN },
        }),
        customResource({
            urn: B,
            type: "test:index:Thing",
            name: "b",
            parent: ROOT,
            version: "2.0.0",
            inputs: { n: 1 },
            outputs: { n: 1, id: UNKNOWN },
        }),
    ];
}

/** What each run's program registered, with the streamed batches of the streamed run. */
async function runStreamed(dir: string): Promise<{ run: ProgramRun; batches: RecordedResource[][] }> {
    const batches: RecordedResource[][] = [];
    const run = await runProgram(programRequest(dir), undefined, {
        push: (resources) => batches.push(structuredClone(resources)),
        restart: () => batches.splice(0),
    });
    return { run, batches };
}

function programRequest(dir: string): Parameters<typeof runProgram>[0] {
    const project = loadProject(dir);
    return {
        programDir: dir,
        main: project.main,
        project: project.name,
        stack: "dev",
        organization: "organization",
        config: readStackFile(project, "dev").entries,
        projectFile: project.file,
    };
}

const dirs: string[] = [];
afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A program of `n` raw resources declared in a loop, with this repository's packages. */
function loopProgram(n: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-streaming-"));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: streaming\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  auth0:domain: example.eu.auth0.com\n");
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        `import * as auth0 from "@pulumi/auth0";\nfor (let i = 0; i < ${n}; i++) {\n` +
            "    new auth0.ResourceServer(`api-${i}`, { identifier: `https://mcp-${i}.example.com/mcp` });\n}\n",
    );
    return dir;
}

describe("the program child streams what it records", () => {
    it("sends every resource in registration order, in batches while the program runs, and ends as an unstreamed run", async () => {
        const dir = loopProgram(100);
        const { run, batches } = await runStreamed(dir);
        const plain = await runProgram(programRequest(dir));
        expect(run.resources).toEqual(plain.resources);
        expect(batches.flat()).toEqual(plain.resources);
        // A loop registers all its resources in one run of microtasks: batches are cut by size, not by turns.
        expect(batches.length).toBeGreaterThan(3);
        // Only the root stack registers outputs (its exports, none here), once the program is done.
        expect(run.outputsChanged).toEqual([0]);
        expect(run.resources[0]?.type).toBe("pulumi:pulumi:Stack");
    }, 120_000);

    it("reports the outputs a component registers after it was registered (this repository's dev stack)", async () => {
        const { run } = await runStreamed(REPO);
        const plain = await runProgram(programRequest(REPO));
        expect(run.resources).toEqual(plain.resources);
        const changed = defined(run.outputsChanged, "outputsChanged");
        const components = plain.resources.filter((r) => !r.custom && Object.keys(r.outputs).length > 0);
        expect(components.length).toBeGreaterThan(0);
        expect(changed.map((i) => plain.resources[i]?.urn).sort()).toEqual(components.map((r) => r.urn).sort());
    }, 120_000);
});

describe("a program run again after its analysis began (check.ts runCheck)", () => {
    /** Requires ./late two seconds in when STREAMING_TEST_LATE is set: a file a cached run does not hold. */
    function lateRequireProgram(): string {
        const dir = loopProgram(3);
        fs.appendFileSync(
            path.join(dir, "index.ts"),
            'if (process.env["STREAMING_TEST_LATE"]) setTimeout(() => require("./late"), 2000);\n',
        );
        fs.writeFileSync(
            path.join(dir, "late.ts"),
            'import * as auth0 from "@pulumi/auth0";\n' +
                'new auth0.ResourceServer("late", { identifier: "https://late.example.com/mcp", signingAlg: "HS256" });\n',
        );
        return dir;
    }

    it("judges the rerun with a fresh pack: the same verdict as a run without the compile cache", async () => {
        const dir = lateRequireProgram();
        const check = () => cli("--dir", dir, "--stack", "dev", "--policy-pack", MINI_PACK, "--format", "json");
        expect((await check()).code).not.toBe(2); // stores the compilation of index.ts alone
        process.env["STREAMING_TEST_LATE"] = "1";
        try {
            // The cached run serves index.ts, streams its resources to the pack, then requires late.ts, which the
            // cache does not hold: the program runs again from the start without the cache.
            const rerun = await check();
            process.env["AUTH0_MCP_NO_CACHE"] = "1";
            const uncached = await check();
            expect(uncached.code).toBe(1);
            expect(rerun.code).toBe(uncached.code);
            const violations = (r: { stdout: string }) => JSON.parse(r.stdout).violations;
            expect(violations(rerun)).toEqual(violations(uncached));
            expect(JSON.stringify(violations(rerun))).toContain("ResourceServer::late");
        } finally {
            delete process.env["STREAMING_TEST_LATE"];
            delete process.env["AUTH0_MCP_NO_CACHE"];
        }
    }, 120_000);
});

describe("analysis from a feed (analyze.ts analyzeStack)", () => {
    let pack: RunningPack;
    beforeAll(async () => {
        pack = await startPack(PROBE, who);
    }, 120_000);
    afterAll(() => pack?.close());

    /** A fresh pack per analysis: the probe pack keeps no state, but each analysis configures the stack anew. */
    const analyze = async (resources: RecordedResource[] | ResourceFeed) =>
        analyzeStack(pack, who, resources, {}, undefined, "/virtual/Pulumi.dev.yaml");

    it("sends the pack what it sends for the same resources known at once, with outputs registered later", async () => {
        const registered = probeResources();
        const final = probeResources();
        const root = defined(final[0], "root");
        root.outputs = { late: "registered at the end" };
        const a = defined(final[2], "a");
        a.outputs = { ...a.outputs, extra: "late" };

        const feed = new ResourceFeed();
        const streamed = analyze(feed);
        feed.push(registered.slice(0, 2));
        await new Promise((r) => setTimeout(r, 50));
        feed.push(registered.slice(2));
        feed.end(final, new Set([0, 2]));
        const fromFeed = await streamed;
        const atOnce = await analyze(final);

        expect(fromFeed.violations).toEqual(atOnce.violations);
        expect(fromFeed.remediations).toEqual(atOnce.remediations);
        const stackReport = (urn: string) =>
            JSON.parse(
                defined(
                    fromFeed.violations.find((v) => v.policy === "probe-stack" && v.urn === urn),
                    `probe-stack on ${urn}`,
                ).message.split("\n")[1] ?? "",
            );
        expect(stackReport(ROOT).props).toEqual({ late: "registered at the end" });
        // A's remediation (fixed added, removeMe removed) applies to the outputs it registered later too.
        expect(stackReport(A).props).toEqual({
            keep: "k",
            removeMe: "<unknown>",
            id: "<unknown>",
            extra: "late",
            fixed: true,
        });
        expect(stackReport(DEFAULT_PROVIDER).urn).toBe(DEFAULT_PROVIDER);
    }, 60_000);

    it("fails with the program's error when the program fails after some resources were analyzed", async () => {
        const feed = new ResourceFeed();
        const streamed = analyze(feed);
        feed.push(probeResources().slice(0, 3));
        const failure = new CheckInputError("the program threw", "index.ts:3", "fix it");
        setTimeout(() => feed.fail(failure), 50);
        await expect(streamed).rejects.toBe(failure);
    }, 60_000);
});

describe("ResourceFeed", () => {
    const [first, second] = probeResources();

    it("forgets what was streamed when the program starts over before the analyzer took any", async () => {
        const feed = new ResourceFeed();
        feed.push([defined(first, "first")]);
        feed.restart();
        feed.push([defined(second, "second")]);
        feed.end([defined(second, "second")], new Set());
        expect(await feed.next()).toEqual({ resource: second, index: 0 });
        expect(await feed.next()).toBeUndefined();
    });

    it("fails with FeedRestarted when the program starts over after the analyzer took a resource", async () => {
        const feed = new ResourceFeed();
        feed.push([defined(first, "first")]);
        await feed.next();
        feed.restart();
        await expect(feed.next()).rejects.toBeInstanceOf(FeedRestarted);
    });

    it("fails when the run ends with fewer resources than it streamed", async () => {
        const feed = new ResourceFeed();
        feed.push([defined(first, "first"), defined(second, "second")]);
        feed.end([defined(first, "first")], new Set());
        await expect(feed.next()).rejects.toThrow("ended with 1 resources after streaming 2");
    });
});

describe("default providers of a running program: registered before their first user (step_generator.go)", () => {
    it("a barred default provider met while the program streams fails the check as the preview fails (exit 2)", async () => {
        const dir = loopProgram(2);
        fs.appendFileSync(path.join(dir, "Pulumi.dev.yaml"), "  pulumi:disable-default-providers: '[\"auth0\"]'\n");
        const run = await cli("--dir", dir, "--stack", "dev", "--policy-pack", MINI_PACK);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(
            "the preview would fail: Default provider for 'auth0' disabled. " +
                "'urn:pulumi:dev::streaming::auth0:index/resourceServer:ResourceServer::api-0' must use an explicit provider.",
        );
        expect(run.stderr).toContain("index.ts:3");
    }, 120_000);

    it("Providers.add names the default provider once, for its first user, and refuses a barred one there", () => {
        const providers = new Providers([], who, "/virtual/Pulumi.dev.yaml");
        const [root, provider, a, b] = probeResources();
        expect(providers.add(defined(root, "root"))).toBeUndefined();
        expect(providers.add(defined(provider, "provider"))).toBeUndefined();
        expect(providers.add(defined(a, "a"))).toBeUndefined();
        expect(providers.add(defined(b, "b"))?.urn).toBe(DEFAULT_PROVIDER);
        expect(providers.add({ ...defined(b, "b"), urn: `${B}2` })).toBeUndefined();

        const barred = new Providers(
            [],
            { ...who, config: [{ key: "pulumi:disable-default-providers", value: '["test"]', secret: false }] },
            "/virtual/Pulumi.dev.yaml",
        );
        expect(() => barred.add(defined(b, "b"))).toThrow(
            `the preview would fail: Default provider for 'test' disabled. '${B}' must use an explicit provider.`,
        );
    });
});
