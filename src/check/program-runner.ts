import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckInputError } from "./errors";
import type { RunReply, RunRequest } from "./runner-child";
import type { RecordedResource } from "./types";

/** Compiler options forced on the program (transpile-only; type errors are the compiler's business, not ours). */
const COMPILER_OPTIONS = { module: "commonjs", moduleResolution: "node10", target: "ES2020", sourceMap: true, esModuleInterop: true };

export interface ProgramRun {
    resources: RecordedResource[];
}

/**
 * Runs the program in a child process under mocks and returns what it registered. Rejects with a
 * {@link CheckInputError} when the program throws, exits early or cannot be loaded.
 */
export function runProgram(req: RunRequest, timeoutMs = 120_000): Promise<ProgramRun> {
    const ext = path.extname(__filename); // ".ts" when run from source (tests), ".js" from dist
    const entry = path.join(__dirname, `runner-child${ext}`);
    const tsConfig = path.join(req.programDir, "tsconfig.json");
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        TS_NODE_TRANSPILE_ONLY: "true",
        TS_NODE_COMPILER_OPTIONS: JSON.stringify(COMPILER_OPTIONS),
        TS_NODE_FILES: "false",
    };
    if (fs.existsSync(tsConfig)) {
        env["TS_NODE_PROJECT"] = tsConfig;
        delete env["TS_NODE_SKIP_PROJECT"];
    } else {
        env["TS_NODE_SKIP_PROJECT"] = "true";
    }
    const where = path.relative(process.cwd(), req.main) || req.main;
    return new Promise((resolve, reject) => {
        const child = fork(entry, [], {
            cwd: req.programDir,
            env,
            execArgv: ["--require", require.resolve("ts-node/register/transpile-only")],
            stdio: ["ignore", "pipe", "pipe", "ipc"],
            serialization: "advanced",
        });
        let stderr = "";
        child.stdout?.resume(); // the program's console output is not part of the verdict
        child.stderr?.on("data", (d: Buffer) => {
            stderr = (stderr + d.toString()).slice(-4000);
        });
        let reply: RunReply | undefined;
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new CheckInputError(`the program did not finish within ${timeoutMs / 1000}s`, where, "check for a hang or a pending promise"));
        }, timeoutMs);
        child.on("message", (m: RunReply) => {
            reply = m;
        });
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(new CheckInputError(`could not start the program runner: ${e.message}`, entry, "reinstall auth0-mcp"));
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            if (reply?.kind === "ok") {
                resolve({ resources: reply.resources });
                return;
            }
            if (reply?.kind === "error") {
                if (reply.missingSdk) {
                    reject(new CheckInputError("the program's dependencies are not installed (@pulumi/pulumi not found)", req.programDir, "run npm install there"));
                    return;
                }
                const at = reply.location ? path.join(path.relative(process.cwd(), req.programDir), reply.location) : where;
                reject(new CheckInputError(`the program threw: ${reply.message.split("\n")[0]}`, at, "fix the program so that `pulumi preview` would run"));
                return;
            }
            const last = stderr.trim().split("\n").filter(Boolean).pop() ?? "";
            reject(
                new CheckInputError(
                    `the program exited (${signal ?? `code ${code}`}) before registering its resources${last ? `: ${last}` : ""}`,
                    where,
                    "run it with `pulumi preview` or fix the crash",
                ),
            );
        });
        child.send(req);
    });
}
