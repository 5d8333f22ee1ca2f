/**
 * vitest globalSetup: compiles the program runner once per test session from the current source (never dist/,
 * which may be stale), so that each program run forks compiled JavaScript instead of loading ts-node and
 * compiling the runner again. Each session gets its own directory, removed at the end, so concurrent sessions
 * never share a build. The directory is inside node_modules so that the runner's own imports resolve from this
 * repository, and its frames count as library code, as they do for an installed auth0-mcp.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestProject } from "vitest/node";
import { COMPILED_RUNNER_ENV } from "../../src/check/program-runner";
import { buildProgramRunner } from "./program-runner-build";

declare module "vitest" {
    export interface ProvidedContext {
        /** The environment variable runProgram reads, and the compiled runner it should fork. */
        compiledRunner: { env: string; entry: string };
    }
}

export default function setup(project: TestProject): () => void {
    const root = path.resolve(__dirname, "../../node_modules/.cache");
    fs.mkdirSync(root, { recursive: true });
    const outDir = fs.mkdtempSync(path.join(root, "auth0-mcp-test-runner-"));
    const { entry } = buildProgramRunner(outDir);
    project.provide("compiledRunner", { env: COMPILED_RUNNER_ENV, entry });
    return () => fs.rmSync(outDir, { recursive: true, force: true });
}
