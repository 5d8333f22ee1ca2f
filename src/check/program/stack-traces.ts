import * as path from "node:path";

type Prepare = (err: Error, frames: NodeJS.CallSite[]) => unknown;

/** What a message-less capture records instead of a stack. */
const OMITTED = "Error (stack omitted by auth0-mcp check)";

/**
 * The Pulumi SDK captures `new Error().stack` for every internal promise (debug context for leak reports) and,
 * with ts-node's source-map support installed, each capture maps every frame through the source maps: that is
 * most of the time a large program spends. Those message-less captures get no formatted frames; everything
 * else keeps mapped frames: the SDK's resource source positions (taken with an unlimited stack trace limit)
 * and the program's own exceptions (which carry a message), so reported files and lines stay TypeScript ones.
 *
 * The SDK's source-position capture (`Resource.callsites`, once per resource) maps and formats its whole stack,
 * some twenty frames of the language host, ts-node and the SDK around one or two of the program's. Resources
 * declared in a loop or by the same helper have the same stack, so its mapped text is remembered by the raw
 * frames (see {@link MemoizedStacks}): the same text, formatted once.
 *
 * The program's ts-node installs source-map support when the language host registers it, after this runs, so
 * the hook wraps whatever is assigned to `Error.prepareStackTrace` from now on.
 */
export function cheapenInternalStackTraces(): void {
    const wrap = (mapped: Prepare | undefined): Prepare | undefined => {
        if (!mapped) return undefined;
        const memo = MemoizedStacks.for(mapped);
        return (err, frames) => {
            if (err && err.message === "" && err.name === "Error") {
                if (Error.stackTraceLimit !== Number.POSITIVE_INFINITY) {
                    return OMITTED;
                }
                if (memo) {
                    return memo.format(err, frames);
                }
            }
            return mapped(err, frames);
        };
    };
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
 * Remembers the text source-map-support's `prepareStackTrace` made of a message-less error's stack, by its raw
 * frames. That function's text is a function of the frames alone: per frame, what V8 prints of it
 * (`String(frame)`: function, type, method, `new`/`async`, eval origin, script name or source URL, line, column)
 * and its file name, mapped through source maps that do not change while the program runs (the library reads each
 * file's map once and caches it).
 * Only that library (both `source-map-support` and ts-node's `@cspotcode` fork) is memoized: another hook might
 * not be a function of the frames.
 */
export class MemoizedStacks {
    /** Distinct stacks remembered at most (each a few kilobytes); later ones are formatted every time. */
    static readonly LIMIT = 20_000;
    private readonly texts = new Map<string, string>();

    private constructor(private readonly mapped: Prepare) {}

    static for(mapped: Prepare): MemoizedStacks | undefined {
        return isSourceMapSupport(mapped) ? new MemoizedStacks(mapped) : undefined;
    }

    format(err: Error, frames: NodeJS.CallSite[]): unknown {
        let key = "";
        for (const f of frames) {
            key += `${String(f)}\u0000${f.getFileName() ?? ""}\u0001`;
        }
        const known = this.texts.get(key);
        if (known !== undefined) {
            return known;
        }
        const text = this.mapped(err, frames);
        if (typeof text === "string" && this.texts.size < MemoizedStacks.LIMIT) {
            this.texts.set(key, text);
        }
        return text;
    }
}

/** source-map-support's `prepareStackTrace` (createPrepareStackTrace in either package): it maps with `wrapCallSite`. */
function isSourceMapSupport(fn: Prepare): boolean {
    return fn.name === "prepareStackTrace" && Function.prototype.toString.call(fn).includes("wrapCallSite(");
}

/**
 * The SDK's `debuggablePromise` (runtime/debuggable.ts) records `new Error().stack` on every internal promise, only
 * to print it if the promise leaks. Collecting those frames was a third of a 1,000-resource program's CPU; with the
 * stack trace limit at 0 for the duration of that call the capture is free, and everything else the function does
 * (ids, context, leak tracking) is unchanged. Modules call it through the module's exports object
 * (`debuggable_1.debuggablePromise(...)`), so replacing the export reaches every caller.
 * (Standing in for the global `Error` during the call instead would skip even the frameless Error, but V8 then
 * deoptimizes every function that reads `Error`: slower overall.)
 */
export function skipPromiseStackCaptures(sdkDir: string): void {
    let debuggable: { debuggablePromise?: (p: unknown, ctx: unknown) => unknown };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own SDK module, by computed path
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
