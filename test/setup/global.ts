/**
 * vitest globalSetup: compiles, once per test session and from the current source (never dist/, which may be
 * stale), what every program run and pack launch would otherwise compile again: the program runner (so each run
 * forks JavaScript instead of loading ts-node to compile the runner) and a JavaScript build of the mini fixture
 * pack (so run-policy-pack does not type-check it on every launch; test/check/helpers.ts says which tests still
 * use the TypeScript pack). Each session gets its own directory, removed at the end, so concurrent sessions never
 * share a build. It is inside node_modules so that the compiled modules' imports resolve from this repository, and
 * their frames count as library code, as they do for an installed auth0-mcp.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TestProject } from "vitest/node";
import { COMPILED_RUNNER_ENV } from "../../src/check/program-runner";
import { buildJavaScriptPack, buildProgramRunner } from "./transpile";

const REPO = path.resolve(__dirname, "../..");

export interface SessionBuild {
    /** The environment variable runProgram reads, and the compiled runner it should fork. */
    runnerEnv: string;
    runner: string;
    /** test/fixtures/packs/mini compiled to JavaScript. */
    miniPackJs: string;
}

declare module "vitest" {
    export interface ProvidedContext {
        session: SessionBuild;
    }
}

export default function setup(project: TestProject): () => void {
    const root = path.join(REPO, "node_modules/.cache");
    fs.mkdirSync(root, { recursive: true });
    const outDir = fs.mkdtempSync(path.join(root, "auth0-mcp-test-session-"));
    project.provide("session", {
        runnerEnv: COMPILED_RUNNER_ENV,
        runner: buildProgramRunner(outDir),
        miniPackJs: buildJavaScriptPack(path.join(REPO, "test/fixtures/packs/mini"), outDir),
    });
    return () => fs.rmSync(outDir, { recursive: true, force: true });
}
