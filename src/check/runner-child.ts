/**
 * Child-process entry: runs one Pulumi program under mocks at preview, the way the Node.js language host runs it,
 * and sends back every registered resource, or every problem that makes the run unfit to judge.
 * A fresh process per run gives fresh Pulumi runtime state and isolates the check from a program that crashes,
 * hangs or calls process.exit.
 *
 * Protocol (IPC): parent sends one {@link RunRequest}; child answers one {@link RunReply} once the program's
 * event loop has drained (as the language host waits for it: resources registered after the program's main
 * function returns still count), then exits.
 */
import * as path from "node:path";
import { installInvokes } from "./program/invokes";
import { leakedPromisesProblem } from "./program/leaks";
import type { InvokeResults } from "./program/invoke-results";
import { openCompileCache, type CompileCache, type CompileCacheMode } from "./program/compile-cache";
import { runLikeLanguageHost } from "./program/language-host";
import { installReads, type ReadModules } from "./program/reads";
import { ProblemLog, callSite, type ProgramProblem } from "./program/problems";
import { locateSdk } from "./program/sdk";
import { cheapenInternalStackTraces, skipPromiseStackCaptures } from "./program/stack-traces";
import { watchSecretValues } from "./program/secret-values";
import { refuseTransforms } from "./program/transforms";
import type { Redactor } from "./secrets";
import type { PriorState } from "./provider/prior-state";
import { installRecorder, type PulumiModules, type RecordingListener } from "./recorder";
import type { ConfigEntry, RecordedResource, WireProperties } from "./types";

export interface RunRequest {
    programDir: string;
    main: string;
    project: string;
    stack: string;
    organization: string;
    config: ConfigEntry[];
    /** Pulumi.yaml `runtime.options.typescript` (default true) and `tsconfig`. */
    typescript?: boolean;
    tsconfig?: string;
    /** Canned invoke results (`--invoke-results`). */
    invokeResults?: InvokeResults;
    /** Prior outputs by URN (`--state`): those resources are previewed as updates. */
    priorState?: PriorState;
    /** Run without the compile cache (a rerun after the cache could not answer for the whole program). */
    noCompileCache?: boolean;
    /** Send each resource as it is recorded ({@link ResourcesMessage}), for the parent to analyze while the program runs. */
    stream?: boolean;
}

/** Resources recorded since the last such message, in registration order (only with `RunRequest.stream`). */
export interface ResourcesMessage {
    kind: "resources";
    resources: RecordedResource[];
}

export type RunReply =
    | {
          kind: "ok";
          /** Every resource, or with `RunRequest.stream` none: they were streamed. */
          resources: RecordedResource[];
          compileCache?: CompileCacheMode;
          /** With `RunRequest.stream`: how many were streamed, and the final outputs of those registered later. */
          streamed?: { count: number; outputs: Array<[number, WireProperties]> };
      }
    | { kind: "error"; problems: ProgramProblem[]; missingSdk?: boolean }
    /** The compile cache did not hold everything the program compiles: run it again without the cache. */
    | { kind: "cache-incomplete"; reason: string };

/**
 * From source, this package's ts-node compiles the runner itself. Once the runner is loaded it must compile
 * nothing else: the program gets its own SDK's ts-node registration, chained in front of ours, and a file both
 * compiled would be compiled twice. A disabled ts-node service passes every file through (ts-node `enabled`).
 */
function disableOwnTypeScript(): void {
    const service = (process as unknown as Record<symbol, { enabled?(on: boolean): boolean } | undefined>)[
        Symbol.for("ts-node.register.instance")
    ];
    service?.enabled?.(false);
}

const realExit = process.exit.bind(process);
let replied = false;

function reply(message: RunReply, code: number): void {
    if (replied) {
        return;
    }
    replied = true;
    if (process.send) {
        process.send(message, () => realExit(code));
    } else {
        realExit(code);
    }
}

/** Secret values the program registered, never to be printed in a problem. */
let secrets: { redactor(): Redactor } | undefined;
let compileCache: CompileCache | undefined;
/** The program's own @pulumi/pulumi, once found. */
let sdkDir: string | undefined;

/** Problems, or the SDK's own count of logged errors when none was captured (never pass on a logged error). */
function finish(problems: ProblemLog, hasErrors: () => boolean, resources: RecordedResource[]): void {
    if (problems.problems.length === 0 && hasErrors()) {
        problems.add({
            kind: "logged",
            message: "the program logged an error through the Pulumi SDK (see its output above)",
        });
    }
    // The SDK checks for leaked promises only on a clean exit: no error logged, exit code 0.
    const leaked = problems.problems.length === 0 && sdkDir ? leakedPromisesProblem(sdkDir) : undefined;
    if (leaked) problems.add(leaked);
    if (problems.problems.length > 0) {
        const redactor = secrets?.redactor();
        const redacted = problems.problems.map((p) => (redactor ? { ...p, message: redactor.redact(p.message) } : p));
        reply({ kind: "error", problems: redacted }, 1);
        return;
    }
    // Only a run without any problem (so without TypeScript diagnostics) is stored in the compile cache.
    compileCache?.commit();
    const cache = compileCache ? { compileCache: compileCache.mode } : {};
    if (stream) {
        stream.flush();
        reply({ kind: "ok", resources: [], streamed: stream.summary(resources), ...cache }, 0);
    } else {
        reply({ kind: "ok", resources, ...cache }, 0);
    }
}

/**
 * Sends recorded resources to the parent in batches: every {@link BATCH} resources, and at the end of each turn of
 * the event loop that recorded any. A program that declares its resources in a loop registers all of them in one
 * long run of microtasks, with no turn of the loop in between.
 */
class ResourceStream implements RecordingListener {
    private static readonly BATCH = 32;
    private pending: RecordedResource[] = [];
    private count = 0;
    private readonly changed = new Set<number>();

    recorded(resource: RecordedResource): void {
        this.pending.push(resource);
        this.count++;
        if (this.pending.length === 1) setImmediate(() => this.flush());
        else if (this.pending.length >= ResourceStream.BATCH) this.flush();
    }

    outputsChanged(index: number): void {
        this.changed.add(index);
    }

    flush(): void {
        if (this.pending.length === 0 || replied) return;
        const message: ResourcesMessage = { kind: "resources", resources: this.pending };
        this.pending = [];
        process.send?.(message);
    }

    summary(resources: RecordedResource[]): NonNullable<Extract<RunReply, { kind: "ok" }>["streamed"]> {
        const outputs: Array<[number, WireProperties]> = [];
        for (const i of this.changed) {
            const r = resources[i];
            if (r) outputs.push([i, r.outputs]);
        }
        return { count: this.count, outputs };
    }
}

let stream: ResourceStream | undefined;

/** The last lines the child wrote to stderr (the SDK prints some failures there before exiting). */
const stderrTail: string[] = [];
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderrTail.push(
        ...String(chunk)
            .split("\n")
            .filter((l) => l.trim() !== ""),
    );
    stderrTail.splice(0, Math.max(0, stderrTail.length - 20));
    return (writeStderr as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

function start(req: RunRequest): void {
    const problems = new ProblemLog(req.programDir);
    trapExits(req.programDir, problems);
    // Whatever happens below (even a failure to set up the mocks), the parent gets a reply once the loop drains.
    const run: ProgramRun = { resources: [], hasLoggedErrors: () => false };
    process.once("beforeExit", () => finish(problems, run.hasLoggedErrors, run.resources));

    const sdk = locateSdk(req.programDir);
    if (!sdk) {
        reply(
            {
                kind: "error",
                problems: [{ kind: "threw", message: "@pulumi/pulumi is not installed for this program" }],
                missingSdk: true,
            },
            1,
        );
        return;
    }
    sdkDir = sdk.dir;
    const sdkModules = loadSdkModules(sdk.dir);
    recordLoggedErrors(sdkModules.log, problems);

    void (async () => {
        await installMocks(req, sdkModules, problems, run);
        cheapenInternalStackTraces();
        skipPromiseStackCaptures(sdk.dir);
        disableOwnTypeScript();
        // The language host keeps the process alive until the event loop drains; the IPC channel must not.
        process.channel?.unref();
        run.hasLoggedErrors = () => sdkModules.log.hasErrors?.() ?? false;
        await runUnderHost(req, sdk.dir, problems);
    })().catch((e) => problems.thrown(e));
}

/** What the reply sent once the event loop drains reads: the recorded resources, and whether the SDK logged errors. */
interface ProgramRun {
    resources: RecordedResource[];
    hasLoggedErrors: () => boolean;
}

/**
 * Registered before the language host's own handlers, so a thrown error is recorded as thrown before the host logs
 * it; `process.exit` ends the run with an "exit" problem.
 */
function trapExits(programDir: string, problems: ProblemLog): void {
    process.on("uncaughtException", (e) => problems.thrown(e));
    process.on("unhandledRejection", (e) => problems.thrown(e));
    process.exit = ((code?: number | string | null) => {
        const site = callSite(programDir);
        problems.add({
            kind: "exit",
            message:
                `the program exited (process.exit(${code ?? ""})) before its work was done` +
                // Called by the SDK itself (e.g. an entry point it cannot load): what it printed says why.
                (!site && stderrTail.length > 0 ? `; it printed:\n${stderrTail.join("\n")}` : ""),
            ...(site ? { location: site } : {}),
        });
        finish(problems, () => true, []);
        return undefined as never;
    }) as typeof process.exit;
}

type SdkModules = ReturnType<typeof loadSdkModules>;

/** The program's own SDK modules the mocks, recorder and hooks use. */
function loadSdkModules(sdkDir: string) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own SDK modules, by resolved path
    const load = (id: string): unknown => require(require.resolve(id, { paths: [sdkDir] }));
    const pulumi = load(sdkDir) as { runtime: PulumiModules["runtime"] & Record<string, unknown> };
    const log = load(path.join(sdkDir, "log")) as {
        error: (msg: string, ...rest: unknown[]) => unknown;
        hasErrors?: () => boolean;
    };
    const mods: PulumiModules & { resourcePb: { ResourceInvokeResponse: new () => { setReturn(v: unknown): void } } } =
        {
            runtime: pulumi.runtime,
            resourcePb: load(path.join(sdkDir, "proto", "resource_pb")) as PulumiModules["resourcePb"] & {
                ResourceInvokeResponse: new () => { setReturn(v: unknown): void };
            },
            struct: load("google-protobuf/google/protobuf/struct_pb") as PulumiModules["struct"],
        };
    return { sdkDir, load, pulumi, log, mods };
}

/** Every error the program logs through the SDK is a problem. */
function recordLoggedErrors(log: SdkModules["log"], problems: ProblemLog): void {
    const logError = log.error;
    log.error = function (this: unknown, msg: string, ...rest: unknown[]) {
        problems.logged(String(msg));
        return logError.call(this, msg, ...rest);
    };
}

/** The SDK's mocks at preview, with the engine's side (registrations, invokes, reads, transforms, config) stood in for. */
async function installMocks(
    req: RunRequest,
    { load, pulumi, mods, sdkDir }: SdkModules,
    problems: ProblemLog,
    run: ProgramRun,
): Promise<void> {
    const mocks = {
        newResource(args: { id?: string; inputs: Record<string, unknown> }) {
            // Only reached for reads (`Resource.get`); registrations are answered by the recorder.
            return { id: args.id || undefined, state: args.inputs };
        },
        call(args: { token: string }): Record<string, unknown> {
            throw new Error(`the program calls ${args.token}, which the offline check cannot evaluate`);
        },
    };
    // Preview (dryRun = true): the verdict must match `pulumi preview --policy-pack`. Values the engine would
    // not know at preview (IDs, outputs the provider computes) stay unknown instead of becoming undefined.
    await mods.runtime.setMocks(mocks, req.project, req.stack, true, req.organization);
    const monitor = mods.runtime.getMonitor() as Record<string, unknown>;
    stream = req.stream ? new ResourceStream() : undefined;
    run.resources = installRecorder(
        monitor,
        mods,
        { project: req.project, stack: req.stack },
        req.programDir,
        req.priorState,
        stream,
    );
    installInvokes(monitor, { ...mods, runtime: pulumi.runtime }, req.invokeResults ?? {}, problems, req.programDir);
    installReads(
        monitor,
        { ...mods, resourcePb: load(path.join(sdkDir, "proto", "resource_pb")) as ReadModules["resourcePb"] },
        req.invokeResults ?? {},
        problems,
        {
            project: req.project,
            stack: req.stack,
            programDir: req.programDir,
        },
    );
    refuseTransforms(monitor, pulumi.runtime, problems, req.programDir, (r) => {
        const pos = r.getSourceposition?.();
        if (!pos || !pos.getUri()) {
            return undefined;
        }
        const uri = pos.getUri();
        const file = uri.startsWith("file://") ? decodeURIComponent(new URL(uri).pathname) : uri;
        return `${path.relative(req.programDir, file)}:${pos.getLine()}`;
    });
    secrets = watchSecretValues(monitor);
    const config: Record<string, string> = {};
    for (const e of req.config) {
        config[e.key] = e.value;
    }
    mods.runtime.setAllConfig(
        config,
        req.config.filter((e) => e.secret).map((e) => e.key),
    );
}

/** Runs the program as the language host would, through the compile cache; errors the host logs are problems. */
async function runUnderHost(req: RunRequest, sdkDir: string, problems: ProblemLog): Promise<void> {
    const reported = new WeakSet<object>();
    const hostOptions = {
        programDir: req.programDir,
        main: req.main,
        typescript: req.typescript ?? true,
        ...(req.tsconfig ? { tsconfig: req.tsconfig } : {}),
    };
    compileCache = openCompileCache(
        { ...hostOptions, sdkDir, disabled: Boolean(req.noCompileCache) || process.env["AUTH0_MCP_NO_CACHE"] === "1" },
        (reason) => reply({ kind: "cache-incomplete", reason }, 0),
    );
    await runLikeLanguageHost(
        sdkDir,
        hostOptions,
        {
            reportLoggedError: (e) => {
                problems.thrown(e);
                if (typeof e === "object" && e !== null) {
                    reported.add(e);
                }
            },
            isErrorReported: (e) => typeof e === "object" && e !== null && reported.has(e),
        },
        compileCache,
    );
}

process.once("message", (msg: RunRequest) => start(msg));
