/**
 * Answers the program's invokes in the program child. The engine runs an invoke (a data source such as
 * `auth0.getClientOutput`) against the provider even at preview, so its result is real data the check cannot
 * produce offline: a call with a canned result (`--invoke-results`) gets it, any other call fails the run with
 * the function's token and the program line that called it.
 */
import { findInvokeResult, type InvokeResults } from "./invoke-results";
import { callSite, type ProblemLog } from "./problems";
import { REDACTED } from "../secrets";

/** The `@pulumi/pulumi` runtime exports that start an invoke; wrapped to learn the program line of each call. */
const INVOKE_ENTRY_POINTS = ["invoke", "invokeOutput", "invokeSingle", "invokeSingleOutput"] as const;

interface InvokeRequest {
    getTok(): string;
    getArgs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface InvokeModules {
    runtime: Record<string, unknown>;
    resourcePb: { ResourceInvokeResponse: new () => { setReturn(v: unknown): void } };
    struct: { Struct: { fromJavaScript(v: Record<string, unknown>): unknown } };
}

type Callback = (err: Error | null, resp?: unknown) => void;

/** The SDK's own lookup of a registered resource by URN (used by `Resource.get` of a component); the mock answers it. */
const GET_RESOURCE = "pulumi:pulumi:getResource";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const GRPC_UNKNOWN = 2;

/** Wire values → plain values for matching: secrets unwrapped, everything else as is. */
function plain(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(plain);
    }
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (SECRET_SIG in o && "value" in o) {
            return plain(o["value"]);
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}

/** Wire values → values safe to print: every secret shown as REDACTED. */
function shown(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(shown);
    }
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (SECRET_SIG in o) {
            return REDACTED;
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, shown(x)]));
    }
    return v;
}

/** Program lines of invoke calls not yet answered, per token, in call order. */
class CallSites {
    private readonly pending = new Map<string, Array<string | undefined>>();

    push(token: string, site: string | undefined): void {
        const list = this.pending.get(token) ?? [];
        list.push(site);
        this.pending.set(token, list);
    }

    take(token: string): string | undefined {
        return this.pending.get(token)?.shift();
    }
}

export function installInvokes(
    monitor: Record<string, unknown>,
    mods: InvokeModules,
    results: InvokeResults,
    problems: ProblemLog,
    programDir: string,
): void {
    const sites = new CallSites();
    for (const name of INVOKE_ENTRY_POINTS) {
        const original = mods.runtime[name];
        if (typeof original !== "function") {
            continue;
        }
        mods.runtime[name] = function (this: unknown, token: unknown, ...rest: unknown[]) {
            if (typeof token === "string") {
                sites.push(token, callSite(programDir));
            }
            return (original as (...a: unknown[]) => unknown).call(this, token, ...rest);
        };
    }

    const mockInvoke = (monitor["invoke"] as (req: InvokeRequest, cb: Callback) => void).bind(monitor);
    monitor["invoke"] = (req: InvokeRequest, callback: Callback) => {
        const token = req.getTok();
        if (token === GET_RESOURCE) {
            mockInvoke(req, callback);
            return;
        }
        const site = sites.take(token);
        const wire = req.getArgs()?.toJavaScript() ?? {};
        const args = plain(wire) as Record<string, unknown>;
        const result = findInvokeResult(results, token, args);
        if (result) {
            const resp = new mods.resourcePb.ResourceInvokeResponse();
            resp.setReturn(mods.struct.Struct.fromJavaScript(result));
            callback(null, resp);
            return;
        }
        const known = results[token] !== undefined;
        const message =
            `the program calls the data source ${token}` +
            (known
                ? ` with arguments ${JSON.stringify(shown(wire))}, which no case in the invoke results file matches`
                : ", which needs the provider and Auth0 and cannot run offline");
        problems.add({ kind: "invoke", message, ...(site ? { location: site } : {}) });
        // As a failed invoke RPC reaches the SDK: a gRPC error whose `details` the SDK rethrows (runtime/invoke.ts).
        callback(Object.assign(new Error(message), { code: GRPC_UNKNOWN, details: message }));
    };
}
