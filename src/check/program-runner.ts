import { fork } from "node:child_process";
import * as path from "node:path";
import { CheckInputError } from "./errors";
import type { InvokeResults } from "./program/invoke-results";
import { programProblemsError } from "./program/report";
import { readNodeRuntimeOptions } from "./program/runtime-options";
import { requireSupportedSdk } from "./program/sdk";
import type { CompileCacheMode } from "./program/compile-cache";
import type { ResourcesMessage, RunReply, RunRequest } from "./runner-child";
import type { RecordedResource } from "./types";

export interface ProgramRun {
    resources: RecordedResource[];
    /** With a stream: indexes of resources whose outputs the program registered after they were streamed. */
    outputsChanged?: number[];
    /** Whether the program's TypeScript came from the compile cache ("hit"), was compiled and stored ("miss"). */
    compileCache?: CompileCacheMode;
}

export type ProgramRequest = Omit<RunRequest, "typescript" | "tsconfig"> & {
    /** Pulumi.yaml, for its `runtime.options`; default `<programDir>/Pulumi.yaml`. */
    projectFile?: string;
    invokeResults?: InvokeResults;
};

/**
 * The language host starts node in the program directory; this runner starts in its own (so that, from source,
 * its ts-node finds its tsconfig). Relative module paths given to `--require`, `--import` and `--loader` are
 * therefore made absolute against the program directory.
 */
function withProgramRelativePaths(nodeargs: string[], programDir: string): string[] {
    const takesPath = /^(?:-r|--require|--import|--loader|--experimental-loader)$/;
    return nodeargs.map((arg, i) => {
        const eq = /^(--require|--import|--loader|--experimental-loader)=(\..*)$/.exec(arg);
        const [, flag, value] = eq ?? [];
        if (flag !== undefined && value !== undefined) {
            return `${flag}=${path.resolve(programDir, value)}`;
        }
        const previous = nodeargs[i - 1];
        return previous !== undefined && takesPath.test(previous) && arg.startsWith(".")
            ? path.resolve(programDir, arg)
            : arg;
    });
}

/** What the child printed on stderr before dying without a reply: the lines that say why, not just the last. */
function crashLines(stderr: string): string[] {
    const lines = stderr
        .split("\n")
        .map((l) => l.trimEnd())
        .filter((l) => l.trim() !== "" && !/^\s+at /.test(l));
    return lines.slice(-12);
}

/** Where a streamed run's resources go as the program registers them (see resource-feed.ts). */
export interface ProgramStream {
    push(resources: RecordedResource[]): void;
    /** The program is run again from its start: what was pushed so far is void. */
    restart(): void;
}

/**
 * Runs the program in a child process under mocks, the way the Node.js language host runs it, and returns what it
 * registered once its event loop has drained. Rejects with a {@link CheckInputError} listing every problem when
 * the program throws, fails to compile, logs an error, calls an invoke that cannot run offline, uses resource
 * transforms, exits early, hangs or cannot be loaded.
 */
export async function runProgram(
    req: ProgramRequest,
    timeoutMs = 120_000,
    stream?: ProgramStream,
): Promise<ProgramRun> {
    requireSupportedSdk(req.programDir);
    const { projectFile, ...rest } = req;
    const runtimeOptions = readNodeRuntimeOptions(projectFile ?? path.join(req.programDir, "Pulumi.yaml"));
    const request: RunRequest = {
        ...rest,
        typescript: runtimeOptions.typescript,
        ...(runtimeOptions.tsconfig ? { tsconfig: runtimeOptions.tsconfig } : {}),
        ...(stream ? { stream: true } : {}),
    };

    const runner = runnerEntry();
    // Pulumi.yaml `nodeargs` go to node as the language host passes them, resolved from the program directory.
    const execArgv = [...runner.execArgv, ...withProgramRelativePaths(runtimeOptions.nodeargs, req.programDir)];
    const entry = runner.entry;
    const where = req.main;
    return runChild(entry, execArgv, request, where, timeoutMs, stream).catch((e: unknown) => {
        // The compile cache could not answer for the whole program: run all of it again, compiling as usual.
        if (e instanceof CacheIncomplete) {
            stream?.restart();
            return runChild(entry, execArgv, { ...request, noCompileCache: true }, where, timeoutMs, stream);
        }
        throw e;
    });
}

/**
 * Set by the test suite (test/setup/global.ts) to a runner it compiled from the current source once per
 * session, so that each run does not compile the runner again. Honoured only from source: dist/ always forks its own.
 */
export const COMPILED_RUNNER_ENV = "AUTH0_MCP_TEST_COMPILED_RUNNER";

function runnerEntry(): { entry: string; execArgv: string[] } {
    if (path.extname(__filename) === ".js") {
        return { entry: path.join(__dirname, "runner-child.js"), execArgv: [] };
    }
    const compiled = process.env[COMPILED_RUNNER_ENV];
    if (compiled) {
        return { entry: compiled, execArgv: [] };
    }
    // From source, this package's ts-node compiles the runner itself (with this package's tsconfig, found from
    // the working directory); the child turns it off before the program's own registration.
    return {
        entry: path.join(__dirname, "runner-child.ts"),
        execArgv: ["--require", require.resolve("ts-node/register/transpile-only")],
    };
}

class CacheIncomplete extends Error {}

/** A streamed run's resources as the program left them: the streamed ones with the outputs registered later. */
function streamedRun(
    streamed: RecordedResource[],
    summary: NonNullable<Extract<RunReply, { kind: "ok" }>["streamed"]>,
    where: string,
): Pick<ProgramRun, "resources" | "outputsChanged"> {
    if (summary.count !== streamed.length) {
        throw new CheckInputError(
            `the program runner recorded ${summary.count} resources but ${streamed.length} reached the check`,
            where,
            "run the check again; report this as a bug of auth0-mcp if it persists",
        );
    }
    for (const [i, outputs] of summary.outputs) {
        const r = streamed[i];
        if (r) r.outputs = outputs;
    }
    return { resources: streamed, outputsChanged: summary.outputs.map(([i]) => i) };
}

function runChild(
    entry: string,
    execArgv: string[],
    request: RunRequest,
    where: string,
    timeoutMs: number,
    stream: ProgramStream | undefined,
): Promise<ProgramRun> {
    const req = request;
    return new Promise((resolve, reject) => {
        const child = fork(entry, [], {
            cwd: __dirname,
            env: process.env,
            execArgv,
            stdio: ["ignore", "pipe", "pipe", "ipc"],
            serialization: "advanced",
        });
        let stderr = "";
        child.stdout?.resume(); // the program's console output is not part of the verdict
        child.stderr?.on("data", (d: Buffer) => {
            stderr = (stderr + d.toString()).slice(-16_000);
        });
        let reply: RunReply | undefined;
        const streamed: RecordedResource[] = [];
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(
                new CheckInputError(
                    `the program did not finish within ${timeoutMs / 1000}s: its event loop never drained`,
                    where,
                    "look for a timer, an open server or socket, or a promise that never settles (`pulumi preview` would wait for it too)",
                ),
            );
        }, timeoutMs);
        child.on("message", (m: RunReply | ResourcesMessage) => {
            if (m.kind === "resources") {
                streamed.push(...m.resources);
                stream?.push(m.resources);
            } else {
                reply = m;
            }
        });
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(
                new CheckInputError(`could not start the program runner: ${e.message}`, entry, "reinstall auth0-mcp"),
            );
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            if (reply?.kind === "ok") {
                try {
                    resolve({
                        ...(reply.streamed
                            ? streamedRun(streamed, reply.streamed, where)
                            : { resources: reply.resources }),
                        ...(reply.compileCache ? { compileCache: reply.compileCache } : {}),
                    });
                } catch (e) {
                    reject(e);
                }
                return;
            }
            if (reply?.kind === "cache-incomplete") {
                reject(new CacheIncomplete(reply.reason));
                return;
            }
            if (reply?.kind === "error") {
                if (reply.missingSdk) {
                    reject(
                        new CheckInputError(
                            "the program's dependencies are not installed (@pulumi/pulumi not found)",
                            req.programDir,
                            "run npm install there",
                        ),
                    );
                    return;
                }
                reject(programProblemsError(reply.problems, req.programDir, req.main));
                return;
            }
            const said = crashLines(stderr);
            reject(
                new CheckInputError(
                    `the program runner died (${signal ?? `exit code ${code}`}) before the program finished${said.length > 0 ? `; it printed:\n${said.join("\n")}` : " without printing why"}`,
                    where,
                    "run it with `pulumi preview` or fix the crash",
                ),
            );
        });
        child.send(request);
    });
}
