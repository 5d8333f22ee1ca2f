/**
 * Launches a policy pack the way the Pulumi CLI does and talks to it over the analyzer gRPC interface.
 *
 * The engine starts a Node.js pack through the nodejs language host's RunPlugin
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go): `node <pack's @pulumi/pulumi>/cmd/run-policy-pack <nodeargs…>
 * <engine-address> <absolute pack dir>` — the `nodeargs` runtime option of PulumiPolicy.yaml is split like a shell
 * line and placed *after* the script, so run-policy-pack's argument parser gets it, not node — with the pack
 * directory as working directory and, in the environment, the stack's identity and config from ConfigureStack
 * (PULUMI_NODEJS_ORGANIZATION/PROJECT/STACK/DRY_RUN, PULUMI_CONFIG) plus PULUMI_NODEJS_TYPESCRIPT and
 * PULUMI_NODEJS_TSCONFIG_PATH from the `typescript` and `tsconfig` options. It reads the port the pack prints on
 * its first stdout line. This module does the same; it never type-checks or loads the pack itself.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Readable } from "node:stream";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";
import { CheckInputError, firstLine } from "./errors";
import { loadGoYaml } from "./go-yaml";
import { isRecord } from "./project";
import { goJson } from "./stack-config";
import type { ConfigEntry } from "./types";

/** gRPC and protobuf modules, all taken from one @pulumi/pulumi installation so `instanceof` checks agree. */
interface Protos {
    grpc: typeof grpcTypes;
    analyzerGrpc: typeof analyzerGrpc;
    analyzer: typeof analyzerPb;
    engineGrpc: typeof engineGrpc;
    empty: typeof emptyPb;
    struct: typeof structPb;
}

let protos: Protos | undefined;
export function loadProtos(): Protos {
    if (!protos) {
        const req = createRequire(require.resolve("@pulumi/pulumi/package.json"));
        protos = {
            grpc: req("@grpc/grpc-js"),
            analyzerGrpc: req("./proto/analyzer_grpc_pb"),
            analyzer: req("./proto/analyzer_pb"),
            engineGrpc: req("./proto/engine_grpc_pb"),
            empty: req("google-protobuf/google/protobuf/empty_pb"),
            struct: req("google-protobuf/google/protobuf/struct_pb"),
        };
    }
    return protos;
}

const MAX_MESSAGE = 1024 * 1024 * 400; // what the policy SDK's server accepts

export interface PackIdentity {
    project: string;
    stack: string;
    organization: string;
    config: ConfigEntry[];
    /** Stack tags (AnalyzerStackConfigureRequest.tags). */
    tags: Record<string, string>;
}

/** A running policy pack plus the engine stub it was given. Always call {@link RunningPack.close}. */
export class RunningPack {
    constructor(
        readonly dir: string,
        /** Messages the pack sent to the engine's Log service. */
        readonly engineLogs: string[],
        readonly client: analyzerGrpc.AnalyzerClient,
        private readonly proc: ChildProcess,
        private readonly engine: grpcTypes.Server,
        private readonly stderrTail: () => string,
        /** The pack's command line after `node`: run-policy-pack's path, nodeargs, engine address, pack directory. */
        readonly argv: readonly string[] = [],
    ) {}

    /** Last lines the pack wrote to stderr (diagnostics for a crash). */
    stderr(): string {
        return this.stderrTail();
    }

    close(): void {
        this.client.close();
        if (this.proc.exitCode === null && this.proc.signalCode === null) {
            this.proc.kill("SIGKILL");
        }
        this.engine.forceShutdown();
    }

    unary<Req, Res>(method: string, request: Req): Promise<Res> {
        return new Promise((resolve, reject) => {
            const fn = (
                this.client as unknown as Record<
                    string,
                    ((r: Req, cb: (e: grpcTypes.ServiceError | null, res: Res) => void) => void) | undefined
                >
            )[method];
            if (!fn) {
                reject(new Error(`the analyzer client has no method '${method}'`));
                return;
            }
            fn.call(this.client, request, (err, res) => (err ? reject(err) : resolve(res)));
        });
    }

    /** A unary call whose request is already serialized (analyzer-requests.ts); the response is decoded as usual. */
    unaryBytes<Res>(method: "analyze" | "remediate" | "analyzeStack", request: Buffer): Promise<Res> {
        const def = loadProtos().analyzerGrpc.AnalyzerService[method] as unknown as {
            path: string;
            responseDeserialize: (b: Buffer) => Res;
        };
        return new Promise((resolve, reject) => {
            this.client.makeUnaryRequest<Buffer, Res>(
                def.path,
                (b) => b,
                def.responseDeserialize,
                request,
                (err, res) =>
                    err || res === undefined ? reject(err ?? new Error(`${def.path}: no response`)) : resolve(res),
            );
        });
    }
}

/** The runtime options of PulumiPolicy.yaml the nodejs language host reads (main.go, parseOptions). */
interface PackRuntimeOptions {
    typescript: boolean;
    tsconfig: string;
    nodeargs: string[];
}

/**
 * github.com/google/shlex Split, as the language host splits `nodeargs`: words separated by whitespace, '…' taken
 * literally, "…" and bare words with backslash escapes, `#` at the start of a word comments out the rest of its line.
 */
export function shlexSplit(line: string): string[] {
    const words: string[] = [];
    let i = 0;
    const n = line.length;
    while (i < n) {
        while (i < n && /[ \t\r\n]/.test(line[i])) i++;
        if (i >= n) break;
        if (line[i] === "#") {
            const nl = line.indexOf("\n", i);
            i = nl < 0 ? n : nl + 1;
            continue;
        }
        let word = "";
        while (i < n && !/[ \t\r\n]/.test(line[i])) {
            const c = line[i];
            if (c === "\\") {
                if (i + 1 >= n) throw new Error("EOF found after escape character");
                word += line[i + 1];
                i += 2;
            } else if (c === "'") {
                const end = line.indexOf("'", i + 1);
                if (end < 0) throw new Error("EOF found when expecting closing quote");
                word += line.slice(i + 1, end);
                i = end + 1;
            } else if (c === '"') {
                i++;
                for (;;) {
                    if (i >= n) throw new Error("EOF found when expecting closing quote");
                    if (line[i] === '"') {
                        i++;
                        break;
                    }
                    if (line[i] === "\\") {
                        if (i + 1 >= n) throw new Error("EOF found after escape character");
                        word += line[i + 1];
                        i += 2;
                    } else {
                        word += line[i];
                        i++;
                    }
                }
            } else {
                word += c;
                i++;
            }
        }
        words.push(word);
    }
    return words;
}

/** Reads PulumiPolicy.yaml (yaml.v3, like workspace.LoadPolicyPack) and its nodejs runtime options. */
export function readPolicyProject(dir: string): PackRuntimeOptions {
    const file = path.join(dir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new CheckInputError(
            "no PulumiPolicy.yaml: not a policy pack",
            dir,
            "pass --policy-pack with a policy pack directory",
        );
    }
    let doc: unknown;
    try {
        doc = loadGoYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new CheckInputError(
            `the policy pack failed to load: PulumiPolicy.yaml is not valid YAML: ${firstLine(e)}`,
            file,
            "fix the YAML",
        );
    }
    const runtime = isRecord(doc) ? doc["runtime"] : undefined;
    const runtimeName = isRecord(runtime) ? runtime["name"] : runtime;
    if (runtimeName !== "nodejs") {
        throw new CheckInputError(
            `the policy pack failed to load: runtime ${JSON.stringify(runtimeName ?? null)} is not nodejs`,
            file,
            "the offline check runs Node.js policy packs",
        );
    }
    const options = isRecord(runtime) && isRecord(runtime["options"]) ? runtime["options"] : {};
    const bad = (what: string, fix: string) =>
        new CheckInputError(`the policy pack failed to start: ${what}`, file, fix);
    const ts = options["typescript"] ?? true;
    if (typeof ts !== "boolean") {
        throw bad("typescript option must be a boolean", "set runtime.options.typescript to true or false");
    }
    const tsconfig = options["tsconfig"] ?? "";
    if (typeof tsconfig !== "string") {
        throw bad("tsconfigpath option must be a string", "set runtime.options.tsconfig to a path");
    }
    const nodeargs = options["nodeargs"] ?? "";
    if (typeof nodeargs !== "string") {
        throw bad(
            "nodeargs option must be a string",
            'write runtime.options.nodeargs as one string, e.g. "--max-old-space-size=4096"',
        );
    }
    let args: string[];
    try {
        args = shlexSplit(nodeargs);
    } catch (e) {
        throw bad(`nodeargs: ${(e as Error).message}`, "fix the quoting in runtime.options.nodeargs");
    }
    return { typescript: ts, tsconfig, nodeargs: args };
}

/** A minimal Engine service: the pack SDK may log through it. Messages are kept for the report's stderr notes. */
function startEngineStub(p: Protos, logs: string[]): Promise<{ server: grpcTypes.Server; address: string }> {
    const server = new p.grpc.Server();
    const empty = () => new p.empty.Empty();
    server.addService(p.engineGrpc.EngineService, {
        log: (
            call: grpcTypes.ServerUnaryCall<{ getMessage(): string }, unknown>,
            cb: grpcTypes.sendUnaryData<unknown>,
        ) => {
            logs.push(call.request.getMessage());
            cb(null, empty());
        },
    } as unknown as grpcTypes.UntypedServiceImplementation);
    return new Promise((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", p.grpc.ServerCredentials.createInsecure(), (err, port) => {
            if (err) {
                reject(err);
                return;
            }
            resolve({ server, address: `127.0.0.1:${port}` });
        });
    });
}

/** The line of a pack's stderr that explains why it did not start. */
function loadFailureLine(stderr: string): string {
    const lines = stderr
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
    return (
        lines.find((l) => /error TS\d+/.test(l)) ??
        lines.find((l) => /^(\w*Error|Error)\b.*:/.test(l)) ??
        lines.find((l) => /error/i.test(l)) ??
        lines[0] ??
        "no output"
    );
}

/**
 * Starts the pack. Resolves once it printed its port and the analyzer client is connected.
 * Rejects with a {@link CheckInputError} when the pack cannot start.
 */
/** `signal`: aborting kills a pack that is still starting (a caller that no longer needs it must not orphan it). */
export async function startPack(
    dir: string,
    who: PackIdentity,
    timeoutMs = 120_000,
    signal?: AbortSignal,
): Promise<RunningPack> {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new CheckInputError(
            "the policy pack directory does not exist",
            dir,
            "pass --policy-pack with a policy pack directory",
        );
    }
    dir = path.resolve(dir);
    const runtime = readPolicyProject(dir);
    const runScript = resolveRunPolicyPack(dir);
    const p = loadProtos();
    const logs: string[] = [];
    const engine = await startEngineStub(p, logs);
    if (signal?.aborted) {
        engine.server.forceShutdown();
        throw cancelled(dir);
    }
    const argv = [runScript, ...runtime.nodeargs, engine.address, dir];
    const proc = spawn(process.execPath, argv, {
        cwd: dir,
        env: packEnvironment(runtime, who),
        stdio: ["ignore", "pipe", "pipe"],
    });
    const kill = () => proc.kill("SIGKILL");
    signal?.addEventListener("abort", kill, { once: true });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-16_000);
    });
    let port: number;
    try {
        port = await waitForPort(proc, dir, timeoutMs, () => stderr);
    } catch (e) {
        proc.kill("SIGKILL");
        engine.server.forceShutdown();
        // waitForPort only rejects once the process is gone (exit) or failed to spawn (error).
        throw signal?.aborted ? cancelled(dir) : e;
    } finally {
        signal?.removeEventListener("abort", kill);
    }
    const client = new p.analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, p.grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE,
        "grpc.max_send_message_length": MAX_MESSAGE,
    });
    return new RunningPack(dir, logs, client, proc, engine.server, () => stderr, argv);
}

function cancelled(dir: string): CheckInputError {
    return new CheckInputError(
        "the policy pack launch was cancelled",
        dir,
        "nothing to fix: the run had already ended",
    );
}

/** The pack's own @pulumi/pulumi run-policy-pack script, as the language host finds it. */
function resolveRunPolicyPack(dir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    } catch {
        throw new CheckInputError(
            "the policy pack failed to load: its dependencies are not installed (@pulumi/pulumi not found)",
            dir,
            "run npm install in the pack directory",
        );
    }
}

/**
 * The environment RunPlugin gives a Node.js policy pack: the CLI's own, the runtime options, and what the
 * policy proxy learned from ConfigureStack (each only when non-empty).
 */
function packEnvironment(runtime: PackRuntimeOptions, who: PackIdentity): NodeJS.ProcessEnv {
    const config: Record<string, string> = {};
    for (const e of who.config) {
        config[e.key] = e.value;
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (runtime.typescript) env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
    if (runtime.tsconfig) env["PULUMI_NODEJS_TSCONFIG_PATH"] = runtime.tsconfig;
    const identity: Array<[string, string]> = [
        ["PULUMI_NODEJS_ORGANIZATION", who.organization],
        ["PULUMI_NODEJS_PROJECT", who.project],
        ["PULUMI_NODEJS_STACK", who.stack],
        ["PULUMI_NODEJS_DRY_RUN", "true"],
        ["PULUMI_CONFIG", goJson(config)],
    ];
    for (const [k, v] of identity) {
        if (v !== "") env[k] = v;
    }
    return env;
}

/** The port the pack prints on its first stdout line; rejects when it exits, fails to spawn or stays silent. */
function waitForPort(
    proc: ChildProcessByStdio<null, Readable, Readable>,
    dir: string,
    timeoutMs: number,
    stderr: () => string,
): Promise<number> {
    return new Promise<number>((resolve, reject) => {
        let out = "";
        const fail = (why: string) =>
            reject(
                new CheckInputError(
                    `the policy pack failed to load: ${why}`,
                    dir,
                    "fix the error shown (the Pulumi CLI type-checks the pack the same way)",
                ),
            );
        const timer = setTimeout(() => fail(`no port printed within ${timeoutMs / 1000}s`), timeoutMs);
        const onData = (d: Buffer) => {
            out += d.toString();
            const nl = out.indexOf("\n");
            if (nl >= 0) {
                clearTimeout(timer);
                proc.stdout.off("data", onData);
                proc.stdout.resume();
                const n = Number(out.slice(0, nl).trim());
                if (Number.isInteger(n) && n > 0) {
                    resolve(n);
                } else {
                    fail(
                        `expected a port on its first output line, got ${JSON.stringify(out.slice(0, nl).slice(0, 200))}`,
                    );
                }
            }
        };
        proc.stdout.on("data", onData);
        proc.on("error", (e) => {
            clearTimeout(timer);
            fail(e.message);
        });
        proc.on("exit", (code) => {
            clearTimeout(timer);
            // Give stderr a moment to drain before explaining the failure.
            setImmediate(() => fail(`${loadFailureLine(stderr())} (exit ${code})`));
        });
    });
}
