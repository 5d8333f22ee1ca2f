#!/usr/bin/env node
// Benchmark of `auth0-mcp audit` on a tenant with 5,000 clients (BENCH_CLIENTS), served page by page (100 per page,
// the Management API maximum) by the tests' fake Management API on 127.0.0.1, with one 429 answer carrying
// Retry-After: 1 (BENCH_RETRY_AFTER; 0 for none) and BENCH_LATENCY_MS of delay per request (default 0). Runs the built
// CLI as a user would and prints its wall time, the audit's own phase timings and the number of requests.
// Needs the built CLI (dist/, `npm run build`); the fake server is loaded from test/audit with ts-node.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "auth0-mcp.js");
const clients = Number(process.env.BENCH_CLIENTS ?? 5000);
const retryAfter = Number(process.env.BENCH_RETRY_AFTER ?? 1);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);

if (!fs.existsSync(path.join(root, "dist", "src", "audit", "cli.js"))) {
    console.error(`bench-audit: the CLI is not built (${path.join(root, "dist")}): run 'npm run build' first`);
    process.exit(2);
}

const require = createRequire(import.meta.url);
require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
const { startFakeManagementApi, CLIENT_ID, CLIENT_SECRET } = require(
    path.join(root, "test/audit/fake-management-api.ts"),
);
const fixtures = require(path.join(root, "test/audit/fixtures.ts"));

const tenant = fixtures.issueTenant();
tenant.clients.push(...fixtures.manyClients(clients));
const api = await startFakeManagementApi(tenant, { latencyMs });
if (retryAfter > 0) {
    api.faults.push({
        path: "/api/v2/clients",
        from: 10,
        fault: { kind: "status", status: 429, headers: { "retry-after": String(retryAfter) } },
    });
}
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-audit-")), "report.json");
const env = {
    ...process.env,
    AUTH0_DOMAIN: fixtures.DOMAIN,
    AUTH0_CLIENT_ID: CLIENT_ID,
    AUTH0_CLIENT_SECRET: CLIENT_SECRET,
    AUTH0_MCP_MANAGEMENT_BASE_URL: api.url,
    AUTH0_MCP_CHECK_TIMINGS: "1",
};
// CPU time of the CLI and the pack it runs (GNU time reports the child's and its reaped children's usage): steadier
// than wall time on a shared machine.
const timeFile = path.join(path.dirname(out), "cpu.txt");
const gnuTime = fs.existsSync("/usr/bin/time") ? ["/usr/bin/time", "-f", "%U %S", "-o", timeFile] : [];
const argv = [...gnuTime, process.execPath, bin, "audit", "--format", "json", "--output", out];
const t0 = process.hrtime.bigint();
const child = spawn(argv[0], argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
let stderr = "";
child.stderr.on("data", (d) => (stderr += d));
const code = await new Promise((resolve) => child.on("exit", resolve));
const wallMs = Number((process.hrtime.bigint() - t0) / 1_000_000n);
await api.close();

const report = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, "utf8")) : undefined;
const pages = api.requests.filter((r) => r.path === "/api/v2/clients").length;
console.log(
    `tenant: ${tenant.clients.length} clients (${pages} client page requests), ${api.requests.length} requests, latency ${latencyMs} ms/request, one 429 with Retry-After ${retryAfter} s`,
);
console.log(`exit ${code}; wall ${(wallMs / 1000).toFixed(2)} s (of which ${retryAfter} s waiting out the rate limit)`);
if (fs.existsSync(timeFile)) {
    const [user, sys] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
    console.log(`cpu (CLI + pack): ${user.toFixed(2)} s user, ${sys.toFixed(2)} s sys`);
}
console.log(stderr.trim());
if (report)
    console.log(
        `report: ${report.resources.length} objects judged, ${report.inventory.length} inventoried clients, ${report.violations.length} violations`,
    );
process.exitCode = code === 2 ? 2 : 0;
