import * as path from "node:path";
import { inject } from "vitest";
import { main } from "../../src/check/cli";

export const REPO = path.resolve(__dirname, "../..");
export const FIXTURES = path.join(REPO, "test/fixtures");
export const program = (name: string) => path.join(FIXTURES, "programs", name);
/** The mini fixture pack as written, in TypeScript: run-policy-pack type-checks it on every launch, as Pulumi does. */
export const MINI_PACK_TS = path.join(FIXTURES, "packs", "mini");
/**
 * The same pack compiled to JavaScript for this session (test/setup/global.ts), as a published pack is: for tests
 * about the check rather than about loading a TypeScript pack, which saves seconds of type-checking per launch.
 */
export const MINI_PACK = inject("session").miniPackJs;

/** Runs `auth0-mcp check …` in-process; returns the exit status and what it printed. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(["check", ...argv], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
}
