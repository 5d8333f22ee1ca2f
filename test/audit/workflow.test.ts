/** The nightly workflow example runs a command the CLI accepts, with the credentials the audit reads. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { parseAuditCommand } from "../../src/audit/args";
import { ENV } from "../../src/audit/credentials";
import { defined } from "../helpers/defined";

const FILE = path.resolve(__dirname, "../../examples/workflows/audit-nightly.yml");

interface Step {
    run?: string;
    env?: Record<string, string>;
    uses?: string;
}

describe("examples/workflows/audit-nightly.yml", () => {
    const doc = yaml.load(fs.readFileSync(FILE, "utf8")) as {
        on: { schedule: Array<{ cron: string }> };
        jobs: { audit: { steps: Step[] } };
    };
    const steps = doc.jobs.audit.steps;
    const audit = defined(
        steps.find((s) => s.run?.includes("auth0-mcp audit")),
        "a step running auth0-mcp audit",
    );

    it("is scheduled", () => {
        expect(defined(doc.on.schedule[0], "a schedule").cron).toMatch(/^\S+ \S+ \* \* \*$/);
    });

    it("passes the audit flags the CLI parses", () => {
        const line = defined(
            defined(audit.run, "the audit step's run")
                .replace(/\\\n\s*/g, " ")
                .split("\n")
                .find((l) => l.includes("auth0-mcp audit")),
            "the auth0-mcp audit line",
        );
        const argv = line
            .trim()
            .split(/\s+/)
            .slice(line.trim().split(/\s+/).indexOf("audit") + 1);
        const cmd = parseAuditCommand(argv);
        expect(cmd).toEqual({
            kind: "audit",
            args: { dir: ".", stack: "prod", failOnDrift: true, format: "sarif", output: "reports/auth0-audit.sarif" },
        });
    });

    it("hands over exactly the provider's credential variables from repository secrets", () => {
        expect(audit.env).toEqual({
            [ENV.domain]: "${{ secrets.AUTH0_DOMAIN }}",
            [ENV.clientId]: "${{ secrets.AUTH0_CLIENT_ID }}",
            [ENV.clientSecret]: "${{ secrets.AUTH0_CLIENT_SECRET }}",
        });
        expect(fs.readFileSync(FILE, "utf8")).not.toContain(ENV.baseUrl);
    });

    it("uploads the SARIF report", () => {
        expect(steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))).toBe(true);
    });
});
