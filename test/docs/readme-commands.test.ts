/**
 * The README cannot lie: every shell command its `sh` blocks show is either run here, or run by the test or script
 * named for it (which must contain it), or is this suite's own entry point. A new command without an entry below
 * fails this test until someone says how it is verified.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { defined } from "../helpers/defined";

const REPO = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
const VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version;

/** Each command of every ```sh block, comments stripped, `&&` chains split. */
function readmeCommands(): string[] {
    const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    return blocks
        .flatMap((block) => block.split("\n"))
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line !== "")
        .flatMap((line) => line.split(/\s*&&\s*/));
}

const read = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

type Verification =
    { run: { cwd: string; expectExit: number } } | { coveredBy: string; contains: string } | { because: string };

const VERIFIED: Array<[RegExp, Verification]> = [
    [/^npm ci$/, { coveredBy: ".ci/run", contains: "npm ci" }],
    [/^npm test$/, { because: "the command that runs this test" }],
    [/^npx auth0-mcp check --stack dev$/, { run: { cwd: REPO, expectExit: 0 } }],
    [
        /^git clone https:\/\/github\.com\/<org>\/auth0-mcp\.git$/,
        { because: "needs the network and your organisation's URL; the rest of the line is verified below" },
    ],
    [/^cd auth0-mcp$/, { because: "a directory change" }],
    [/^cd \.\.\/your-pulumi-program$/, { because: "a directory change" }],
    [/^npm pack$/, { coveredBy: "scripts/install-examples.sh", contains: "npm pack" }],
    [
        /^npm install --save-exact \.\.\/auth0-mcp\/auth0-mcp-(\d+\.\d+\.\d+)\.tgz$/,
        {
            coveredBy: "scripts/install-examples.sh",
            contains: "npm install",
        },
    ],
    [
        /^npx --no-install auth0-mcp check --stack dev$/,
        { coveredBy: "test/examples/consumer.test.ts", contains: `"--no-install", "auth0-mcp", "check"` },
    ],
];

describe("README shell commands", () => {
    const commands = readmeCommands();

    it("finds the quick start and consumer commands", () => {
        expect(commands).toContain("npm ci");
        expect(commands).toContain("npx --no-install auth0-mcp check --stack dev");
    });

    it("names the tarball npm pack really writes", () => {
        const named = commands.map((c) => /auth0-mcp-(\d+\.\d+\.\d+)\.tgz/.exec(c)?.[1]).filter(Boolean);
        expect(named.length).toBeGreaterThan(0);
        for (const version of named) expect(version).toBe(VERSION);
    });

    it.each(commands.map((command) => [command]))("is verified: %s", (command) => {
        const matches = VERIFIED.filter(([pattern]) => pattern.test(command));
        expect(matches, `no entry in VERIFIED for README command "${command}"`).toHaveLength(1);
        const verification = defined(matches[0], `a VERIFIED entry for "${command}"`)[1];
        if ("run" in verification) {
            const [bin, ...args] = command.split(" ");
            const run = spawnSync(defined(bin, "a command name"), args, {
                cwd: verification.run.cwd,
                encoding: "utf8",
                timeout: 120_000,
            });
            expect(run.status, `${command}\n${run.stderr}`).toBe(verification.run.expectExit);
        } else if ("coveredBy" in verification) {
            expect(read(verification.coveredBy)).toContain(verification.contains);
        }
    });
});
