import * as path from "node:path";
import { main } from "../../src/check/cli";

export const REPO = path.resolve(__dirname, "../..");
export const FIXTURES = path.join(REPO, "test/fixtures");
export const program = (name: string) => path.join(FIXTURES, "programs", name);
export const MINI_PACK = path.join(FIXTURES, "packs", "mini");

/** Runs `auth0-mcp check …` in-process; returns the exit status and what it printed. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(["check", ...argv], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, stdout, stderr };
}
