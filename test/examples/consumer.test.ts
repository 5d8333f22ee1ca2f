/**
 * The consumer path end to end: examples/consumer is another team's Pulumi program that installed this package as
 * the README says (a tarball from `npm pack`, then `npm install`; done by scripts/install-examples.sh from `npm
 * pretest`), keeps its own policy config next to its stacks, and runs the check through the installed bin with
 * `npx --no-install` — the package's own checkout is not involved.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const CONSUMER = path.resolve(__dirname, "../../examples/consumer");

function check(...args: string[]) {
    const run = spawnSync("npx", ["--no-install", "auth0-mcp", "check", ...args], {
        cwd: CONSUMER,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("example consumer repository", () => {
    it("has the package installed from its tarball, not linked to this checkout", () => {
        const installed = path.join(CONSUMER, "node_modules", "auth0-mcp");
        expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
        expect(fs.existsSync(path.join(installed, "policy", "bin", "index.js"))).toBe(true);
        expect(fs.existsSync(path.join(installed, "dist", "src", "check", "cli.js"))).toBe(true);
    });

    it("passes its dev stack with its own policy config, found next to the stack file", () => {
        const { code, stdout, stderr } = check("--stack", "dev", "--format", "json");
        expect(stderr).toBe("");
        expect(code).toBe(0);
        const report = JSON.parse(stdout);
        expect(report.policyConfig.file).toBe("examples/consumer/Pulumi.dev.policy.json");
        expect(report.summary).toEqual({ mandatory: 0, advisory: 0 });
        expect(report.resources.map((r: { type: string }) => r.type)).toContain("auth0:index/client:Client");
    });

    it("blocks its risky stack and points SARIF at the consumer's own line", () => {
        const { code, stdout } = check("--stack", "risky", "--format", "sarif");
        expect(code).toBe(1);
        const results = JSON.parse(stdout).runs[0].results as Array<{
            ruleId: string;
            locations: Array<{
                physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
            }>;
        }>;
        expect(results.map((r) => r.ruleId)).toEqual(["approved-identity-providers"]);
        const where = results[0].locations[0].physicalLocation;
        const line =
            fs
                .readFileSync(path.join(CONSUMER, "index.ts"), "utf8")
                .split("\n")
                .findIndex((l) => l.includes(`new auth0.Connection("github"`)) + 1;
        expect(where.artifactLocation.uri).toBe("examples/consumer/index.ts");
        expect(where.region.startLine).toBe(line);
    });
});
