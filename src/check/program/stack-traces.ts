import * as path from "node:path";

type Prepare = (err: Error, frames: NodeJS.CallSite[]) => unknown;

/**
 * The Pulumi SDK captures `new Error().stack` for every internal promise (debug context for leak reports) and,
 * with ts-node's source-map support installed, each capture maps every frame through the source maps: that is
 * most of the time a large program spends. Those message-less captures get no formatted frames; everything
 * else keeps mapped frames: the SDK's resource source positions (taken with an unlimited stack trace limit)
 * and the program's own exceptions (which carry a message), so reported files and lines stay TypeScript ones.
 *
 * The program's ts-node installs source-map support when the language host registers it, after this runs, so
 * the hook wraps whatever is assigned to `Error.prepareStackTrace` from now on.
 */
export function cheapenInternalStackTraces(): void {
    const wrap = (mapped: Prepare | undefined): Prepare | undefined =>
        mapped &&
        ((err, frames) => {
            if (err && err.message === "" && err.name === "Error" && Error.stackTraceLimit !== Number.POSITIVE_INFINITY) {
                return "Error (stack omitted by auth0-mcp check)";
            }
            return mapped(err, frames);
        });
    let installed = wrap(Error.prepareStackTrace as Prepare | undefined);
    Object.defineProperty(Error, "prepareStackTrace", {
        configurable: true,
        get: () => installed,
        set: (fn: Prepare | undefined) => {
            installed = wrap(fn);
        },
    });
}

/**
 * The SDK's `debuggablePromise` (runtime/debuggable.ts) records `new Error().stack` on every internal promise, only
 * to print it if the promise leaks. Collecting those frames was a third of a 1,000-resource program's CPU; with the
 * stack trace limit at 0 for the duration of that call the capture is free, and everything else the function does
 * (ids, context, leak tracking) is unchanged. Modules call it through the module's exports object
 * (`debuggable_1.debuggablePromise(...)`), so replacing the export reaches every caller.
 */
export function skipPromiseStackCaptures(sdkDir: string): void {
    let debuggable: { debuggablePromise?: (p: unknown, ctx: unknown) => unknown };
    try {
        debuggable = require(path.join(sdkDir, "runtime", "debuggable")) as typeof debuggable;
    } catch {
        return;
    }
    const original = debuggable.debuggablePromise;
    if (typeof original !== "function") return;
    debuggable.debuggablePromise = (p: unknown, ctx: unknown) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}
