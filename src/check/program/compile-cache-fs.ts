/**
 * What the program's compilation observed of the file system, for the compile cache (compile-cache.ts): while a
 * recording phase is open (ts-node registering, ts-node compiling one file), every call to the public `fs`
 * functions TypeScript's `sys`, ts-node and Node's CommonJS loader use is noted with its result, and so is every
 * module resolution. A later run may reuse the compilation only when {@link validate} finds all of them unchanged.
 *
 * Recording is conservative: a path is noted with its kind, its real path, its content hash when read and its
 * listing when listed, whatever the call was; any other `fs` call made while recording (a descriptor, an async
 * API) makes the run uncacheable instead of being guessed at.
 */
import * as crypto from "node:crypto";
// The module object itself (not an import namespace, whose members are read-only getters): patched in place.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the namespace import's members cannot be patched
import fs = require("node:fs");
import Module from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

type Kind = "file" | "dir" | "other" | "missing";

interface PathObservation {
    path: string;
    /** `stat` (symlinks followed). */
    kind: Kind;
    /** `lstat`, when the compilation asked for it. */
    lkind?: Kind;
    /** `realpath`, when it exists. */
    real?: string;
    /** Content, when read: sha256, and the stat identity that lets an unchanged file skip re-hashing. */
    content?: { sha256: string; size: number; mtimeMs: number; ctimeMs: number; ino: number; readAt: number };
    /** Entries `name/type` (sorted), when listed. */
    listing?: string[];
}

interface ResolutionObservation {
    request: string;
    parentFile: string | null;
    parentPaths: string[];
    optionPaths: string[] | null;
    result: string | null;
}

export interface Observations {
    paths: PathObservation[];
    resolutions: ResolutionObservation[];
}

/** `fs` functions that write or close but observe nothing a compilation's output could depend on. */
const NON_OBSERVING = new Set([
    "writeFileSync",
    "mkdirSync",
    "closeSync",
    "writeSync",
    "appendFileSync",
    "renameSync",
    "utimesSync",
    "chmodSync",
    "unlinkSync",
]);
const RECORDED = new Set([
    "readFileSync",
    "existsSync",
    "statSync",
    "lstatSync",
    "readdirSync",
    "realpathSync",
    "accessSync",
]);

type Fn = (...args: unknown[]) => unknown;
const original = {
    readFileSync: fs.readFileSync,
    statSync: fs.statSync,
    lstatSync: fs.lstatSync,
    readdirSync: fs.readdirSync,
    realpathNative: fs.realpathSync.native,
};

export function sha256(data: string | Buffer): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}

function kindOf(st: fs.Stats | undefined): Kind {
    return !st ? "missing" : st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
}

function statKind(p: string): Kind {
    return kindOf(original.statSync(p, { throwIfNoEntry: false }));
}

function lstatKind(p: string): Kind {
    return kindOf(original.lstatSync(p, { throwIfNoEntry: false }));
}

function realOf(p: string): string | undefined {
    try {
        return original.realpathNative(p);
    } catch {
        return undefined;
    }
}

function listingOf(p: string): string[] | undefined {
    try {
        return original
            .readdirSync(p, { withFileTypes: true })
            .map((d) => `${d.name}/${d.isFile() ? "f" : d.isDirectory() ? "d" : d.isSymbolicLink() ? "l" : "o"}`)
            .sort();
    } catch {
        return undefined;
    }
}

function contentOf(p: string, data?: Buffer): PathObservation["content"] | undefined {
    const readAt = Date.now();
    const st = original.statSync(p, { throwIfNoEntry: false });
    if (!st?.isFile()) {
        return undefined;
    }
    const bytes = data ?? original.readFileSync(p);
    return { sha256: sha256(bytes), size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, readAt };
}

function pathArg(arg: unknown): string | undefined {
    if (typeof arg === "string") {
        return path.resolve(arg);
    }
    if (arg instanceof URL) {
        return fileURLToPath(arg);
    }
    if (Buffer.isBuffer(arg)) {
        return path.resolve(arg.toString());
    }
    return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** Records observations while a phase is open. One per process: it patches the `fs` module object. */
export class FsRecorder {
    private depth = 0;
    private inside = false;
    private readonly paths = new Map<string, PathObservation>();
    private readonly resolutions: ResolutionObservation[] = [];
    /** Why this run's compilation cannot be cached, when it cannot. */
    unrecordable: string | undefined;

    constructor() {
        this.patchFs();
        FsRecorder.patchResolver(this);
    }

    /** Opens a recording phase (phases nest); returns the function that closes it. */
    begin(): () => void {
        this.depth++;
        return () => {
            this.depth--;
        };
    }

    /** Suspends recording (while a compiled module's body runs); returns the function that resumes it. */
    suspend(): () => void {
        const saved = this.depth;
        this.depth = 0;
        return () => {
            this.depth = saved;
        };
    }

    observations(): Observations {
        return { paths: [...this.paths.values()], resolutions: [...this.resolutions] };
    }

    private get recording(): boolean {
        return this.depth > 0 && !this.inside;
    }

    private note(p: string, update: (o: PathObservation) => Partial<PathObservation>): void {
        let o = this.paths.get(p);
        if (!o) {
            const kind = statKind(p);
            const real = kind === "missing" ? undefined : realOf(p);
            o = { path: p, kind, ...(real !== undefined ? { real } : {}) };
            this.paths.set(p, o);
        }
        for (const [k, v] of Object.entries(update(o))) {
            const prev = (o as unknown as Record<string, unknown>)[k];
            const differs =
                k === "content"
                    ? (prev as PathObservation["content"])?.sha256 !== (v as PathObservation["content"])?.sha256
                    : !sameJson(prev, v);
            if (prev !== undefined && differs) {
                // The file changed while the program was compiled: nothing recorded can be trusted.
                this.unrecordable = `${p} changed during the run`;
            }
            (o as unknown as Record<string, unknown>)[k] = v;
        }
    }

    private observe(name: string, args: unknown[], result: unknown): void {
        const p = pathArg(args[0]);
        if (p === undefined) {
            this.unrecordable = `fs.${name} on a file descriptor`;
            return;
        }
        switch (name) {
            case "readFileSync": {
                const data = Buffer.isBuffer(result) ? result : undefined;
                this.note(p, (o) => (o.kind === "file" ? { content: contentOf(p, data) } : {}));
                return;
            }
            case "readdirSync":
                this.note(p, () => ({ listing: listingOf(p) }));
                return;
            case "lstatSync":
                this.note(p, () => ({ lkind: lstatKind(p) }));
                return;
            default:
                // existsSync, statSync, accessSync, realpathSync: kind and real path are noted for every path.
                this.note(p, () => ({}));
        }
    }

    private patchFs(): void {
        const target = fs as unknown as Record<string, unknown>;
        for (const name of Object.keys(target)) {
            const fn = target[name];
            // Classes (Stats, Dirent, streams) and constants are left alone.
            if (typeof fn !== "function" || /^[A-Z]/.test(name) || NON_OBSERVING.has(name) || name === "realpathSync") {
                continue;
            }
            const wrapped = FsRecorder.wrap(this, name, fn as Fn);
            try {
                target[name] = wrapped;
            } catch {
                // A read-only export: it cannot be intercepted, so a compilation using it would go unrecorded.
                this.unrecordable ??= `fs.${name} cannot be observed`;
            }
        }
        const realpath = fs.realpathSync;
        const native = realpath.native;
        const wrappedRealpath = FsRecorder.wrap(
            this,
            "realpathSync",
            realpath as unknown as Fn,
        ) as unknown as typeof fs.realpathSync;
        wrappedRealpath.native = FsRecorder.wrap(
            this,
            "realpathSync",
            native as unknown as Fn,
        ) as unknown as typeof fs.realpathSync.native;
        target["realpathSync"] = wrappedRealpath;
    }

    /** Static, so the wrapper's own `this` stays the fs caller's. */
    private static wrap(recorder: FsRecorder, name: string, fn: Fn): Fn {
        const wrapped = function (this: unknown, ...args: unknown[]): unknown {
            if (!recorder.recording) {
                return fn.apply(this, args);
            }
            recorder.inside = true;
            try {
                if (!RECORDED.has(name)) {
                    recorder.unrecordable ??= `fs.${name} was used while compiling`;
                    return fn.apply(this, args);
                }
                let result: unknown;
                try {
                    result = fn.apply(this, args);
                } catch (e) {
                    const code = (e as { code?: unknown }).code;
                    if (code !== "ENOENT" && code !== "ENOTDIR" && code !== "EISDIR") {
                        recorder.unrecordable ??= `fs.${name} failed (${String(code)})`;
                    }
                    recorder.observe(name, args, undefined);
                    throw e;
                }
                recorder.observe(name, args, result);
                return result;
            } finally {
                recorder.inside = false;
            }
        };
        return Object.assign(wrapped, fn);
    }

    private static patchResolver(recorder: FsRecorder): void {
        const M = Module as unknown as {
            _resolveFilename: (
                request: string,
                parent: unknown,
                isMain: boolean,
                options?: { paths?: string[] },
            ) => string;
        };
        const resolve = M._resolveFilename;
        M._resolveFilename = function (this: unknown, request, parent, isMain, options) {
            if (!recorder.recording) {
                return resolve.call(this, request, parent, isMain, options);
            }
            const p = parent as { filename?: string | null; paths?: string[] } | undefined;
            const obs: ResolutionObservation = {
                request,
                parentFile: p?.filename ?? null,
                parentPaths: p?.paths ? [...p.paths] : [],
                // Node resolves relative `paths` from the working directory (Module._nodeModulePaths → path.resolve);
                // the check validates before the language host changes into the program directory, so they are
                // kept absolute. ts-node resolves its compiler from the relative 'tsconfig.json'.
                optionPaths: options?.paths ? options.paths.map((p) => path.resolve(p)) : null,
                result: null,
            };
            recorder.resolutions.push(obs);
            const result = resolve.call(this, request, parent, isMain, options);
            obs.result = result;
            return result;
        };
    }
}

/** Resolves again as recorded: the result, or null when it no longer resolves. */
function resolveAgain(r: ResolutionObservation): string | null {
    const M = Module as unknown as {
        _resolveFilename: (request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }) => string;
    };
    const parent = new Module(r.parentFile ?? "<compile-cache>");
    parent.filename = r.parentFile ?? "";
    parent.paths = r.parentPaths;
    try {
        return M._resolveFilename(
            r.request,
            r.parentFile ? parent : undefined,
            false,
            r.optionPaths ? { paths: r.optionPaths } : undefined,
        );
    } catch {
        return null;
    }
}

/** A file whose stat identity is unchanged and was last changed well before it was hashed has the same content. */
const RACY_MS = 2000;

function sameContent(p: string, c: NonNullable<PathObservation["content"]>): boolean {
    const st = original.statSync(p, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size !== c.size) {
        return false;
    }
    const untouched =
        st.mtimeMs === c.mtimeMs &&
        st.ctimeMs === c.ctimeMs &&
        st.ino === c.ino &&
        Math.max(c.mtimeMs, c.ctimeMs) + RACY_MS < c.readAt;
    return untouched || sha256(original.readFileSync(p)) === c.sha256;
}

/** The first observation that no longer holds, or undefined when every one does. */
export function validate(obs: Observations): string | undefined {
    for (const o of obs.paths) {
        if (statKind(o.path) !== o.kind) {
            return `${o.path} is no longer a ${o.kind}`;
        }
        if (o.lkind !== undefined && lstatKind(o.path) !== o.lkind) {
            return `${o.path} changed kind`;
        }
        if (o.real !== undefined && realOf(o.path) !== o.real) {
            return `${o.path} resolves elsewhere`;
        }
        if (o.content && !sameContent(o.path, o.content)) {
            return `${o.path} changed`;
        }
        if (o.listing && !sameJson(listingOf(o.path), o.listing)) {
            return `${o.path} has different entries`;
        }
    }
    for (const r of obs.resolutions) {
        if (resolveAgain(r) !== r.result) {
            return `${r.request} resolves differently`;
        }
    }
    return undefined;
}
