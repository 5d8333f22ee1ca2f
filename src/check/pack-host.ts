/**
 * Launches a policy pack the way the Pulumi CLI does and talks to it over the analyzer gRPC interface.
 *
 * The CLI runs `node <pack's @pulumi/pulumi>/cmd/run-policy-pack <engine-address> . [-<runtime option>=<value>…]`
 * with the pack directory as working directory and the stack's identity in the environment, reads the port the
 * pack prints on its first stdout line, then calls Handshake (optional), ConfigureStack, GetAnalyzerInfo,
 * Configure, Analyze and AnalyzeStack. This module does the same; it never type-checks or loads the pack itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as structPb from "google-protobuf/google/protobuf/struct_pb";
import { CheckInputError, firstLine } from "./errors";
import { isRecord } from "./project";
import type { ConfigEntry } from "./types";

/** gRPC and protobuf modules, all taken from one @pulumi/pulumi installation so `instanceof` checks agree. */
export interface Protos {
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
            const fn = (this.client as unknown as Record<string, (r: Req, cb: (e: grpcTypes.ServiceError | null, res: Res) => void) => void>)[method]!;
            fn.call(this.client, request, (err, res) => (err ? reject(err) : resolve(res)));
        });
    }
}

/** Reads PulumiPolicy.yaml; returns the runtime options the CLI passes as `-key=value` arguments. */
function readPolicyProject(dir: string): string[] {
    const file = path.join(dir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new CheckInputError("no PulumiPolicy.yaml: not a policy pack", dir, "pass --policy-pack with a policy pack directory");
    }
    let doc: unknown;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new CheckInputError(`the policy pack failed to load: PulumiPolicy.yaml is not valid YAML: ${firstLine(e)}`, file, "fix the YAML");
    }
    const runtime = isRecord(doc) ? doc["runtime"] : undefined;
    const runtimeName = isRecord(runtime) ? runtime["name"] : runtime;
    if (runtimeName !== "nodejs") {
        throw new CheckInputError(`the policy pack failed to load: runtime ${JSON.stringify(runtimeName ?? null)} is not nodejs`, file, "the offline check runs Node.js policy packs");
    }
    const options = isRecord(runtime) && isRecord(runtime["options"]) ? runtime["options"] : {};
    return Object.entries(options)
        .map(([k, v]) => [k, v === null || v === undefined ? "" : String(v)] as const)
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `-${k}=${v}`);
}

/** A minimal Engine service: the pack SDK may log through it. Messages are kept for the report's stderr notes. */
function startEngineStub(p: Protos, logs: string[]): Promise<{ server: grpcTypes.Server; address: string }> {
    const server = new p.grpc.Server();
    const empty = () => new p.empty.Empty();
    server.addService(p.engineGrpc.EngineService, {
        log: (call: grpcTypes.ServerUnaryCall<{ getMessage(): string }, unknown>, cb: grpcTypes.sendUnaryData<unknown>) => {
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
export function loadFailureLine(stderr: string): string {
    const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
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
export async function startPack(dir: string, who: PackIdentity, timeoutMs = 120_000): Promise<RunningPack> {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new CheckInputError("the policy pack directory does not exist", dir, "pass --policy-pack with a policy pack directory");
    }
    const args = readPolicyProject(dir);
    let runScript: string;
    try {
        runScript = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    } catch {
        throw new CheckInputError(
            "the policy pack failed to load: its dependencies are not installed (@pulumi/pulumi not found)",
            dir,
            "run npm install in the pack directory",
        );
    }
    const p = loadProtos();
    const logs: string[] = [];
    const engine = await startEngineStub(p, logs);
    // The environment the CLI gives a Node.js policy pack (constructEnv): identity, dry-run flag, stack config.
    const config: Record<string, string> = {};
    for (const e of who.config) {
        config[e.key] = e.value;
    }
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(who.config.filter((e) => e.secret).map((e) => e.key)),
        PULUMI_NODEJS_ORGANIZATION: who.organization,
        PULUMI_NODEJS_PROJECT: who.project,
        PULUMI_NODEJS_STACK: who.stack,
        PULUMI_NODEJS_DRY_RUN: "true",
        PULUMI_ORGANIZATION: who.organization,
        PULUMI_PROJECT: who.project,
        PULUMI_STACK: who.stack,
        PULUMI_DRY_RUN: "true",
    };
    const proc = spawn(process.execPath, [runScript, engine.address, ".", ...args], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    proc.stderr!.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-16_000);
    });
    let port: number;
    try {
        port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const fail = (why: string) =>
                reject(new CheckInputError(`the policy pack failed to load: ${why}`, dir, "fix the error shown (the Pulumi CLI type-checks the pack the same way)"));
            const timer = setTimeout(() => fail(`no port printed within ${timeoutMs / 1000}s`), timeoutMs);
            const onData = (d: Buffer) => {
                out += d.toString();
                const nl = out.indexOf("\n");
                if (nl >= 0) {
                    clearTimeout(timer);
                    proc.stdout!.off("data", onData);
                    proc.stdout!.resume();
                    const n = Number(out.slice(0, nl).trim());
                    if (Number.isInteger(n) && n > 0) {
                        resolve(n);
                    } else {
                        fail(`expected a port on its first output line, got ${JSON.stringify(out.slice(0, nl).slice(0, 200))}`);
                    }
                }
            };
            proc.stdout!.on("data", onData);
            proc.on("error", (e) => {
                clearTimeout(timer);
                fail(e.message);
            });
            proc.on("exit", (code) => {
                clearTimeout(timer);
                // Give stderr a moment to drain before explaining the failure.
                setImmediate(() => fail(`${loadFailureLine(stderr)} (exit ${code})`));
            });
        });
    } catch (e) {
        proc.kill("SIGKILL");
        engine.server.forceShutdown();
        throw e;
    }
    const client = new p.analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, p.grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE,
        "grpc.max_send_message_length": MAX_MESSAGE,
    });
    return new RunningPack(dir, logs, client, proc, engine.server, () => stderr);
}
