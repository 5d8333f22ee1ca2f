import * as path from "node:path";
import { inject } from "vitest";
import { main } from "../../src/check/cli";
import { loadProject } from "../../src/check/project";
import { runProgram, type ProgramRun } from "../../src/check/program-runner";
import { readStackFile } from "../../src/check/stack-config";

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

/** Runs a program directory's dev stack the way runCheck does, without the policy pack. */
export function runDevStack(dir: string, extra: Partial<Parameters<typeof runProgram>[0]> = {}): Promise<ProgramRun> {
    const project = loadProject(dir);
    const stack = readStackFile(project, "dev");
    return runProgram({
        programDir: dir,
        main: project.main,
        project: project.name,
        stack: "dev",
        organization: "organization",
        config: stack.entries,
        projectFile: project.file,
        ...extra,
    });
}
