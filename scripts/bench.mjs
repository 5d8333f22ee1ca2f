#!/usr/bin/env node
// `npm run bench`: wall time of `auth0-mcp check` on generated programs of 10 and 1,000 raw @pulumi/auth0
// resources and on the dev stack; prints per-run times, medians and the 1000/10 ratio.
// Programs are generated under .bench/ (gitignored) so @pulumi/auth0 resolves from this repository.
// Needs the built CLI (dist/, made by `npm ci` / `npm run build`).
import { execFileSync, spawnSync } from "node:child_process";
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

/** A compliant program: one Tenant with explicit MCP settings and N-1 MCP APIs with validatable tokens. */
function generate(n) {
    const dir = path.join(root, ".bench", `raw-${n}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${n}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  auth0:domain: bench.example.com\n");
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        `import * as auth0 from "@pulumi/auth0";

new auth0.Tenant("tenant", {
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
`,
    );
    return dir;
}

function timeCheck(dir) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, "check", "--dir", dir, "--format", "json"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, AUTH0_MCP_CHECK_TIMINGS: "1" },
        maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status === 2 || r.status === null) {
        console.error(`bench: check failed on ${dir} (exit ${r.status}): ${r.stderr.trim()}`);
        process.exit(2);
    }
    const report = JSON.parse(r.stdout);
    const timings = JSON.parse(/timings: (.*)/.exec(r.stderr)?.[1] ?? "{}");
    return { seconds, exit: r.status, resources: report.resources.length, summary: report.summary, timings };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = [
    { label: "10 raw resources", dir: generate(10) },
    { label: "1,000 raw resources", dir: generate(1000) },
    { label: "dev stack (repo root)", dir: root },
];
let commit = "";
try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
} catch {}
console.log(`auth0-mcp check benchmark: node ${process.versions.node}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${runs} runs each${commit ? `, commit ${commit}` : ""}`);
timeCheck(cases[0].dir); // warm the file cache once; not counted
const medians = {};
for (const c of cases) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(timeCheck(c.dir));
    const times = results.map((r) => r.seconds);
    medians[c.label] = median(times);
    const last = results[results.length - 1];
    console.log(
        `${c.label.padEnd(24)} median ${median(times).toFixed(2)} s  runs ${times.map((t) => t.toFixed(2)).join(" / ")}  ` +
            `(${last.resources} resources sent, exit ${last.exit}, ${last.summary.mandatory} mandatory; last run: program ${last.timings.programMs} ms, pack ready ${last.timings.packReadyMs} ms, analyze ${last.timings.analyzeMs} ms)`,
    );
}
const ratio = medians["1,000 raw resources"] / medians["10 raw resources"];
console.log(`ratio 1,000 / 10: ${ratio.toFixed(2)} (target ≤ 2)`);
console.log(`dev stack: ${medians["dev stack (repo root)"].toFixed(2)} s (target ≤ 3 s)`);
