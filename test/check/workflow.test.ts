/**
 * The CI workflow (.github/workflows/policy-check.yml) is parsed and its check step executed, so the properties a
 * reviewer relies on cannot regress silently: triggers (pull_request, never pull_request_target; push on the default
 * branch), rules (checker, pack, policy configs) from the base branch for pull requests, findings in the job log and
 * the job summary, SARIF upload skipped for forks' read-only tokens, current action majors and a supported Node.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers";
import { defined } from "../helpers/defined";

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
    "working-directory"?: string;
}
interface Job {
    if?: string;
    env?: Record<string, string>;
    permissions?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, Job>;
}

const FILE = path.join(REPO, ".github/workflows/policy-check.yml");
const workflow = yaml.load(fs.readFileSync(FILE, "utf8")) as Workflow;
const offline = defined(workflow.jobs["offline-check"], "the offline-check job");
const checkStep = defined(
    offline.steps.find((s) => s.name?.startsWith("Check every stack")),
    "the check step",
);
const BASE_SHA = "${{ github.event.pull_request.base.sha }}";
const FROM_THIS_REPO = "github.event.pull_request.head.repo.full_name == github.repository";

describe("policy-check workflow: triggers and permissions", () => {
    it("runs on pull requests with pull_request (never pull_request_target), on pushes to the default branch, and on demand", () => {
        expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "workflow_dispatch"]);
        expect(workflow.on).not.toHaveProperty("pull_request_target");
        expect(workflow.on["push"]).toEqual({ branches: ["main"] });
        expect(workflow.permissions).toEqual({ contents: "read" });
        expect(offline.permissions).toEqual({ contents: "read", actions: "read", "security-events": "write" });
    });

    it("says why pull_request is the right trigger for forks", () => {
        const text = fs.readFileSync(FILE, "utf8");
        expect(text).toContain("Why `pull_request` and not `pull_request_target`");
        expect(text).toContain("no secrets and a read-only");
        expect(text).toContain("docker build");
    });
});

describe("policy-check workflow: rules from the base branch", () => {
    it("checks the base commit out into its own directory, without the token in .git/config, and installs it", () => {
        const base = defined(
            offline.steps.find((s) => s.with?.["path"] === ".policy-base"),
            "the base-branch checkout step",
        );
        expect(base.uses).toMatch(/^actions\/checkout@/);
        expect(base.if).toBe("github.event_name == 'pull_request'");
        expect(base.with).toMatchObject({ ref: BASE_SHA, "persist-credentials": false });
        expect(offline.steps.find((s) => s["working-directory"] === ".policy-base")?.run).toBe("npm ci");
        expect(offline.env?.["RULES"]).toBe("${{ github.event_name == 'pull_request' && '.policy-base' || '.' }}");
        for (const s of offline.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
            expect(s.with?.["persist-credentials"], s.name).toBe(false);
        }
    });

    it("keeps expressions out of the check script (no injection; the script runs as written below)", () => {
        expect(checkStep.run).not.toContain("${{");
    });
});

describe("policy-check workflow: action versions and Node", () => {
    it("uses the current majors (checkout v6, setup-node v6, cache v6, upload-sarif v4) and Node 24 LTS in every job", () => {
        const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
        const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
        for (const u of uses) {
            expect(
                [
                    "actions/checkout@v6",
                    "actions/setup-node@v6",
                    "actions/cache@v6",
                    "github/codeql-action/upload-sarif@v4",
                ],
                u,
            ).toContain(u);
        }
        for (const s of steps.filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
            expect(s.with?.["node-version"]).toBe(24);
        }
    });

    it("package.json engines admits no Node that a production dependency refuses (lockfile engines, semver.subset)", async () => {
        const { createRequire } = await import("node:module");
        const semver = createRequire(require.resolve("@pulumi/pulumi/package.json"))(
            "semver",
        ) as typeof import("semver");
        const ours = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).engines.node as string;
        const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as {
            packages: Record<string, { dev?: boolean; devOptional?: boolean; engines?: { node?: string } }>;
        };
        expect(lock.packages[""]?.engines?.node).toBe(ours);
        const refused = Object.entries(lock.packages)
            .filter(
                ([name, p]) =>
                    name !== "" && !p.dev && !p.devOptional && p.engines?.node && !semver.subset(ours, p.engines.node),
            )
            .map(([name, p]) => `${name} ${p.engines?.node}`);
        expect(refused).toEqual([]);
        // @pulumi/pulumi 3.276 declares node >=22: the older ">=20.19" was not true.
        expect(
            semver.subset(
                ">=20.19",
                defined(
                    lock.packages["node_modules/@pulumi/pulumi"]?.engines?.node,
                    "@pulumi/pulumi's engines.node in the lockfile",
                ),
            ),
        ).toBe(false);
        // The workflow's Node is one engines admits.
        expect(semver.satisfies("24.0.0", ours)).toBe(true);
    });
});

describe("policy-check workflow: SARIF upload", () => {
    it("uploads for pushes and same-repository pull requests only: a fork's read-only token would fail the run", () => {
        const upload = defined(
            offline.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@")),
            "the SARIF upload step",
        );
        expect(upload.if).toContain("always()");
        expect(upload.if).toContain("hashFiles('policy-reports/*.sarif') != ''");
        expect(upload.if).toContain(`(github.event_name != 'pull_request' || ${FROM_THIS_REPO})`);
        expect(upload.with).toEqual({ sarif_file: "policy-reports", category: "auth0-mcp-policy" });
    });
});

describe("policy-check workflow: the check step, executed", () => {
    /** The job's own env (checker, pack and program paths as written in the workflow), RULES as GitHub resolves it. */
    function jobEnv(rules: string, programDir?: string): Record<string, string> {
        const { CHECKER, PACK, PROGRAM_DIR } = defined(offline.env, "the offline-check job's env");
        expect({ CHECKER, PACK, PROGRAM_DIR }).toEqual({
            CHECKER: "bin/auth0-mcp.js",
            PACK: "policy",
            PROGRAM_DIR: ".",
        });
        return {
            PATH: defined(process.env["PATH"], "PATH"),
            RULES: rules,
            CHECKER: defined(CHECKER, "CHECKER"),
            PACK: defined(PACK, "PACK"),
            PROGRAM_DIR: programDir ?? defined(PROGRAM_DIR, "PROGRAM_DIR"),
        };
    }

    /**
     * A pull request's workspace with two stacks (one that the base branch has no policy config for, and a policy
     * config the pull request brings itself), and a stand-in for the base branch's checker that records its
     * arguments and writes a report.
     */
    function workspace(exits: Record<string, number>, programDir = ".") {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-workflow-"));
        const pr = path.join(root, "pr");
        const rules = path.join(pr, ".policy-base");
        fs.mkdirSync(path.join(rules, "bin"), { recursive: true });
        fs.mkdirSync(path.join(pr, programDir), { recursive: true });
        fs.mkdirSync(path.join(rules, programDir), { recursive: true });
        fs.writeFileSync(path.join(pr, programDir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
        fs.writeFileSync(path.join(pr, programDir, "Pulumi.dev.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(pr, programDir, "Pulumi.prod.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(pr, programDir, "Pulumi.prod.policy.json"), '{"all": "advisory"}\n'); // the PR's own, weaker
        fs.writeFileSync(path.join(rules, programDir, "Pulumi.dev.policy.json"), "{}\n");
        fs.writeFileSync(
            path.join(rules, "bin", "auth0-mcp.js"),
            `const fs = require("fs");
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(path.join(root, "calls.jsonl"))}, JSON.stringify(argv) + "\\n");
const stack = argv[argv.indexOf("--stack") + 1];
const format = argv[argv.indexOf("--format") + 1];
const code = ${JSON.stringify(exits)}[stack] ?? 0;
if (code === 2) { process.stderr.write("auth0-mcp check: error: the program threw: boom (index.ts:3): fix it\\n"); process.exit(2); }
fs.writeFileSync(argv[argv.indexOf("--output") + 1], format === "text" ? "Policy check of demo/" + stack + "\\n\`x\` ✖ finding\\n" : "{}");
process.stderr.write((code ? "FAIL" : "PASS") + ": demo/" + stack + "\\n");
process.exit(code);
`,
        );
        const summary = path.join(root, "summary.md");
        const run = spawnSync("bash", ["-c", defined(checkStep.run, "the check step's script")], {
            cwd: pr,
            encoding: "utf8",
            env: {
                ...jobEnv(".policy-base", programDir),
                RULES_FROM: "base branch main at 0123abc",
                GITHUB_STEP_SUMMARY: summary,
            },
        });
        const calls = fs
            .readFileSync(path.join(root, "calls.jsonl"), "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as string[]);
        return { pr, run, calls, summary: fs.readFileSync(summary, "utf8") };
    }

    it("judges each stack with the base branch's pack and config, never a config the pull request brings", () => {
        const { run, calls } = workspace({ dev: 0, prod: 0 });
        expect(run.status).toBe(0);
        const withFormat = (f: string) => calls.filter((c) => c.includes(f));
        expect(withFormat("text").map((c) => c.slice(0, 9))).toEqual([
            [
                "check",
                "--dir",
                ".",
                "--stack",
                "dev",
                "--policy-pack",
                ".policy-base/policy",
                "--policy-config",
                ".policy-base/Pulumi.dev.policy.json",
            ],
            [
                "check",
                "--dir",
                ".",
                "--stack",
                "prod",
                "--policy-pack",
                ".policy-base/policy",
                "--no-policy-config",
                "--format",
            ],
        ]);
        expect(withFormat("sarif")).toHaveLength(2);
        expect(calls.flat()).not.toContain("Pulumi.prod.policy.json");
        expect(calls.flat().filter((a) => a.endsWith(".policy.json"))).toEqual([
            ".policy-base/Pulumi.dev.policy.json",
            ".policy-base/Pulumi.dev.policy.json",
        ]);
    });

    it("a program in a subdirectory (PROGRAM_DIR, as in a consumer's repository) takes its configs from the same subdirectory of the base", () => {
        const { run, calls } = workspace({ dev: 0, prod: 0 }, "infra");
        expect(run.status).toBe(0);
        expect(calls.filter((c) => c.includes("text")).map((c) => c.slice(0, 9))).toEqual([
            [
                "check",
                "--dir",
                "infra",
                "--stack",
                "dev",
                "--policy-pack",
                ".policy-base/policy",
                "--policy-config",
                ".policy-base/infra/Pulumi.dev.policy.json",
            ],
            [
                "check",
                "--dir",
                "infra",
                "--stack",
                "prod",
                "--policy-pack",
                ".policy-base/policy",
                "--no-policy-config",
                "--format",
            ],
        ]);
    });

    it("prints each text report in the job log and appends it to the job summary; a mandatory violation fails the step", () => {
        const { run, summary, pr } = workspace({ dev: 1, prod: 0 });
        expect(run.status).toBe(1);
        expect(run.stdout).toContain("Policy check of demo/dev\n`x` ✖ finding");
        expect(run.stdout).toContain("::group::stack prod");
        expect(run.stderr).toContain("FAIL: demo/dev");
        expect(summary).toContain("## auth0-mcp policy check (rules from base branch main at 0123abc)");
        expect(summary).toContain("### Stack `dev`: exit 1\n\n````text\nPolicy check of demo/dev\n`x` ✖ finding\n````");
        expect(summary).toContain("### Stack `prod`: exit 0");
        expect(fs.readdirSync(path.join(pr, "policy-reports")).sort()).toEqual([
            "dev.err",
            "dev.sarif",
            "dev.txt",
            "prod.err",
            "prod.sarif",
            "prod.txt",
        ]);
    });

    it("an invalid input (exit 2) wins over a violation, is shown in the summary, and produces no SARIF for that stack", () => {
        const { run, summary, calls } = workspace({ dev: 2, prod: 1 });
        expect(run.status).toBe(2);
        expect(summary).toContain(
            "### Stack `dev`: exit 2\n\n````text\nauth0-mcp check: error: the program threw: boom (index.ts:3): fix it\n````",
        );
        expect(calls.filter((c) => c.includes("sarif")).map((c) => c[4])).toEqual(["prod"]);
    });

    it("no stack file is an error, not a pass", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-workflow-empty-"));
        const run = spawnSync("bash", ["-c", defined(checkStep.run, "the check step's script")], {
            cwd: root,
            encoding: "utf8",
            env: { ...jobEnv("."), RULES_FROM: "main at 0123abc", GITHUB_STEP_SUMMARY: path.join(root, "summary.md") },
        });
        expect(run.status).toBe(2);
        expect(run.stdout).toContain("::error::no Pulumi.<stack>.yaml");
    });
});
