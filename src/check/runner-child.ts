/**
 * Child-process entry: runs one Pulumi program under mocks at preview and sends back every registered resource.
 * A fresh process per run gives fresh Pulumi runtime state and isolates the check from a program that crashes,
 * hangs or calls process.exit. TypeScript is compiled by ts-node (transpile-only), registered by the parent via
 * `--require`, before this file loads.
 *
 * Protocol (IPC): parent sends one {@link RunRequest}; child answers one {@link RunReply} and exits.
 */
import * as path from "node:path";
import { installRecorder, type PulumiModules } from "./recorder";
import type { ConfigEntry, RecordedResource } from "./types";

export interface RunRequest {
    programDir: string;
    main: string;
    project: string;
    stack: string;
    organization: string;
    config: ConfigEntry[];
}

export type RunReply =
    | { kind: "ok"; resources: RecordedResource[] }
    | { kind: "error"; message: string; location?: string; missingSdk?: boolean };

function send(reply: RunReply): Promise<void> {
    return new Promise((resolve) => {
        if (!process.send) {
            resolve();
            return;
        }
        process.send(reply, () => resolve());
    });
}

/** The first stack frame inside the program (not node_modules), to say where an exception came from. */
function programFrame(err: unknown, programDir: string): string | undefined {
    const stack = err instanceof Error && typeof err.stack === "string" ? err.stack : "";
    for (const line of stack.split("\n").slice(1)) {
        const m = /\(?((?:\/|[A-Za-z]:\\)[^()]+?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
        if (m && m[1]!.startsWith(programDir) && !m[1]!.includes(`${path.sep}node_modules${path.sep}`)) {
            return `${path.relative(programDir, m[1]!) || m[1]}:${m[2]}`;
        }
    }
    return undefined;
}

function errorText(e: unknown): string {
    if (e instanceof Error) {
        return `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}`;
    }
    return String(e);
}

/**
 * The Pulumi SDK captures `new Error().stack` for every internal promise (debug context for leak reports) and,
 * with ts-node's source-map support installed, each capture maps every frame through the source maps: that is
 * most of the time a large program spends. Those message-less captures get no formatted frames; everything
 * else keeps mapped frames: the SDK's resource source positions (taken with an unlimited stack trace limit)
 * and the program's own exceptions (which carry a message), so reported files and lines stay TypeScript ones.
 */
function cheapenInternalStackTraces(): void {
    const mapped = Error.prepareStackTrace;
    if (!mapped) {
        return;
    }
    Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) => {
        if (err && err.message === "" && err.name === "Error" && Error.stackTraceLimit !== Number.POSITIVE_INFINITY) {
            return "Error (stack omitted by auth0-mcp check)";
        }
        return mapped(err, frames);
    };
}

async function run(req: RunRequest): Promise<RecordedResource[]> {
    cheapenInternalStackTraces();
    let pulumiDir: string;
    try {
        pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [req.programDir] }));
    } catch {
        const err = new Error("@pulumi/pulumi is not installed for this program") as Error & { missingSdk: boolean };
        err.missingSdk = true;
        throw err;
    }
    const load = (id: string): unknown => require(require.resolve(id, { paths: [pulumiDir] }));
    const pulumi = load(pulumiDir) as { runtime: PulumiModules["runtime"] };
    const mods: PulumiModules = {
        runtime: pulumi.runtime,
        resourcePb: load(path.join(pulumiDir, "proto", "resource_pb")) as PulumiModules["resourcePb"],
        struct: load("google-protobuf/google/protobuf/struct_pb") as PulumiModules["struct"],
    };

    const mocks = {
        newResource(args: { id?: string; inputs: Record<string, unknown> }) {
            // Only reached for reads (`Resource.get`); registrations are answered by the recorder.
            return { id: args.id || undefined, state: args.inputs };
        },
        call(args: { token: string }): Record<string, unknown> {
            throw new Error(
                `the program calls the data source '${args.token}', which needs the provider and cloud access; ` +
                    "the offline check cannot evaluate it",
            );
        },
    };
    // Preview (dryRun = true): the verdict must match `pulumi preview --policy-pack`. Values the engine would not
    // know at preview (IDs, outputs the provider computes) stay unknown instead of silently becoming undefined.
    await mods.runtime.setMocks(mocks, req.project, req.stack, true, req.organization);
    const recorded = installRecorder(
        mods.runtime.getMonitor() as Record<string, unknown>,
        mods,
        { project: req.project, stack: req.stack },
        req.programDir,
    );
    const config: Record<string, string> = {};
    for (const e of req.config) {
        config[e.key] = e.value;
    }
    mods.runtime.setAllConfig(config, req.config.filter((e) => e.secret).map((e) => e.key));

    process.chdir(req.programDir);
    await mods.runtime.runInPulumiStack(async () => {
        let entry = req.main;
        if (!path.extname(entry) && !entry.endsWith(path.sep)) {
            entry = entry + path.sep; // a directory: let Node pick package.json main / index.*
        }
        let exported: unknown = require(entry);
        if (exported && typeof exported === "object" && "default" in exported && Object.keys(exported).length === 1) {
            exported = (exported as { default: unknown }).default;
        }
        if (typeof exported === "function") {
            exported = await (exported as () => unknown)();
        }
        return exported as Record<string, unknown>;
    });
    if (mods.runtime.waitForRPCs) {
        await mods.runtime.waitForRPCs();
    }
    return recorded;
}

let finished = false;
async function fail(e: unknown, programDir: string): Promise<void> {
    if (finished) {
        return;
    }
    finished = true;
    const location = programFrame(e, programDir);
    const missingSdk = Boolean((e as { missingSdk?: boolean })?.missingSdk);
    await send({ kind: "error", message: errorText(e), ...(location ? { location } : {}), ...(missingSdk ? { missingSdk } : {}) });
    process.exit(1);
}

process.once("message", (msg: RunRequest) => {
    process.on("uncaughtException", (e) => void fail(e, msg.programDir));
    process.on("unhandledRejection", (e) => void fail(e, msg.programDir));
    run(msg).then(
        async (resources) => {
            if (finished) {
                return;
            }
            finished = true;
            await send({ kind: "ok", resources });
            process.exit(0);
        },
        (e) => fail(e, msg.programDir),
    );
});
