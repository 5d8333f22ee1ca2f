#!/usr/bin/env node
// `npm run bench`: from one run, the floor (a node process loading @pulumi/pulumi, @pulumi/auth0 and @pulumi/policy),
// then `auth0-mcp check` on the dev stack and on generated programs of 10 and 1,000 raw @pulumi/auth0 resources:
// per-run wall times, medians, peak memory (of the whole process tree, from GNU time where installed) and the
// ratios against the targets (dev stack ≤ 3 × floor, 1,000 resources ≤ 1.5 × 10). The dev stack is also timed with
// the compile cache (docs/check.md) cleared before every run (cold) and after a priming run (warm).
// Programs are generated under .bench/ (gitignored) so @pulumi/auth0 resolves from this repository.
// Needs the built CLI (dist/, made by `npm ci` / `npm run build`).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "auth0-mcp.js");
const runs = Number(process.env.BENCH_RUNS ?? 3);

if (!fs.existsSync(path.join(root, "dist", "src", "check", "cli.js"))) {
    console.error(`bench: the CLI is not built (${path.join(root, "dist")}): run 'npm run build' first`);
    process.exit(2);
}

/** The resources of the generated programs: one Tenant with explicit MCP settings and N-1 MCP APIs with validatable tokens. */
function declarations(n) {
    return `new auth0.Tenant("tenant", {
    resourceParameterProfile: "compatibility",
    clientIdMetadataDocumentSupported: true,
    flags: { enableDynamicClientRegistration: false, enableClientConnections: false },
});
for (let i = 1; i < ${n}; i++) {
    new auth0.ResourceServer(\`api-\${i}\`, {
        identifier: \`https://mcp-\${i}.example.com/mcp\`,
        signingAlg: "RS256",
        tokenDialect: "rfc9068_profile_authz",
        enforcePolicies: true,
        tokenLifetime: 3600,
        skipConsentForVerifiableFirstPartyClients: false,
    });
}
`;
}

/** A compliant program of N resources, checked as a stack. */
function generate(n) {
    const dir = path.join(root, ".bench", `raw-${n}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${n}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  auth0:domain: bench.example.com\n");
    fs.writeFileSync(path.join(dir, "index.ts"), `import * as auth0 from "@pulumi/auth0";\n\n${declarations(n)}`);
    return dir;
}

/**
 * The same resources under @pulumi/pulumi's own mocks (`runtime.setMocks`), in plain JavaScript, with no check: what
 * the SDK alone spends declaring and registering them. No check of the program can be cheaper than running it.
 */
function generateSdkOnly(n) {
    const dir = path.join(root, ".bench", `sdk-${n}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "run.js");
    fs.writeFileSync(
        file,
        `const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: undefined, state: a.inputs }), call: (a) => a.inputs }, "bench", "dev", true);
const auth0 = require("@pulumi/auth0");
pulumi.runtime.runInPulumiStack(async () => {
${declarations(n)}});
`,
    );
    return file;
}

const gnuTime = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs a node command; returns wall seconds, peak RSS in MiB (when GNU time is there) and the result. */
function timed(args, env = {}) {
    const cmd = gnuTime ? gnuTime : process.execPath;
    const argv = gnuTime ? ["-f", "__peak_kib=%M", process.execPath, ...args] : args;
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, ...env },
        maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const peak = /__peak_kib=(\d+)/.exec(r.stderr ?? "")?.[1];
    return { seconds, peakMiB: peak ? Number(peak) / 1024 : undefined, r };
}

function timeFloor() {
    const load = "require('@pulumi/pulumi'); require('@pulumi/auth0'); require('@pulumi/policy');";
    const { seconds, peakMiB, r } = timed(["-e", load]);
    if (r.status !== 0) {
        console.error(`bench: loading the Pulumi libraries failed: ${r.stderr.trim()}`);
        process.exit(2);
    }
    return { seconds, peakMiB };
}

function timeCheck(dir) {
    const { seconds, peakMiB, r } = timed([bin, "check", "--dir", dir, "--format", "json"], {
        AUTH0_MCP_CHECK_TIMINGS: "1",
    });
    if (r.status === 2 || r.status === null) {
        console.error(`bench: check failed on ${dir} (exit ${r.status}): ${r.stderr.trim()}`);
        process.exit(2);
    }
    const report = JSON.parse(r.stdout);
    const timings = JSON.parse(/timings: (.*)/.exec(r.stderr)?.[1] ?? "{}");
    return { seconds, peakMiB, exit: r.status, resources: report.resources.length, summary: report.summary, timings };
}

/** The compile cache's directory for a program (src/check/program/compile-cache-store.ts `cacheDir`). */
function compileCacheDir(dir) {
    const own =
        fs.existsSync(path.join(dir, "node_modules")) && fs.lstatSync(path.join(dir, "node_modules")).isDirectory();
    return own
        ? path.join(dir, "node_modules", ".cache", "auth0-mcp")
        : path.join(
              os.tmpdir(),
              "auth0-mcp-compile-cache",
              createHash("sha256").update(path.resolve(dir)).digest("hex").slice(0, 16),
          );
}
const clearCompileCache = (dir) => fs.rmSync(compileCacheDir(dir), { recursive: true, force: true });

function timeSdkOnly(file) {
    const { seconds, r } = timed([file]);
    if (r.status !== 0) {
        console.error(`bench: the SDK-only program failed (${file}): ${r.stderr.trim()}`);
        process.exit(2);
    }
    return seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = [
    { label: "dev stack (repo root)", dir: root },
    { label: "10 raw resources", dir: generate(10) },
    { label: "1,000 raw resources", dir: generate(1000) },
];
let commit = "";
try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
} catch {
    // not a git checkout: the header leaves the commit out
}
console.log(
    `auth0-mcp check benchmark: node ${process.versions.node}, ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}, ${runs} runs each${commit ? `, commit ${commit}` : ""}`,
);
const mib = (m) => (m === undefined ? "n/a" : `${m.toFixed(0)} MiB`);
timeCheck(cases[1].dir); // warm the file cache once; not counted
const floors = Array.from({ length: runs }, timeFloor);
const floor = median(floors.map((f) => f.seconds));
console.log(
    `${"floor (load 3 libraries)".padEnd(24)} median ${floor.toFixed(2)} s  runs ${floors.map((f) => f.seconds.toFixed(2)).join(" / ")}  peak ${mib(median(floors.map((f) => f.peakMiB ?? 0)) || undefined)}`,
);
const medians = {};
for (const c of cases) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(timeCheck(c.dir));
    const times = results.map((r) => r.seconds);
    medians[c.label] = median(times);
    const last = results[results.length - 1];
    const peak = Math.max(...results.map((r) => r.peakMiB ?? 0));
    console.log(
        `${c.label.padEnd(24)} median ${median(times).toFixed(2)} s  runs ${times.map((t) => t.toFixed(2)).join(" / ")}  peak ${mib(peak || undefined)}  ` +
            `(${last.resources} resources, exit ${last.exit}, ${last.summary.mandatory} mandatory; last run: program ${last.timings.programMs} ms, pack ready ${last.timings.packReadyMs} ms, analyze ${last.timings.analyzeMs} ms)`,
    );
}
function devStackLine(label, results) {
    const times = results.map((r) => r.seconds);
    const last = results[results.length - 1];
    console.log(
        `${label.padEnd(24)} median ${median(times).toFixed(2)} s  runs ${times.map((t) => t.toFixed(2)).join(" / ")}  ` +
            `(last run: program ${last.timings.programMs} ms, total ${last.timings.totalMs} ms)`,
    );
    return median(times);
}
const cold = devStackLine(
    "dev stack, cold cache",
    Array.from({ length: runs }, () => {
        clearCompileCache(root);
        return timeCheck(root);
    }),
);
timeCheck(root); // primes the cache; not counted
const warm = devStackLine(
    "dev stack, warm cache",
    Array.from({ length: runs }, () => timeCheck(root)),
);
const sdkOnly = {};
for (const n of [10, 1000]) {
    const file = generateSdkOnly(n);
    const times = Array.from({ length: runs }, () => timeSdkOnly(file));
    sdkOnly[n] = median(times);
    console.log(
        `${`SDK alone, ${n === 10 ? "10" : "1,000"} resources`.padEnd(24)} median ${sdkOnly[n].toFixed(2)} s  runs ${times.map((t) => t.toFixed(2)).join(" / ")}  (the program under @pulumi/pulumi's own mocks, no check)`,
    );
}
const dev = medians["dev stack (repo root)"] / floor;
const ratio = medians["1,000 raw resources"] / medians["10 raw resources"];
console.log(`dev stack / floor: ${dev.toFixed(2)} (target ≤ 3)`);
console.log(
    `dev stack cold / floor: ${(cold / floor).toFixed(2)}; warm / floor: ${(warm / floor).toFixed(2)} (target ≤ 3)`,
);
console.log(`1,000 / 10 resources: ${ratio.toFixed(2)} (target ≤ 1.5)`);
console.log(
    `SDK alone, 1,000 / 10 resources: ${(sdkOnly[1000] / sdkOnly[10]).toFixed(2)}; the check's 1,000 - 10: ${(medians["1,000 raw resources"] - medians["10 raw resources"]).toFixed(2)} s, the SDK's alone: ${(sdkOnly[1000] - sdkOnly[10]).toFixed(2)} s`,
);
