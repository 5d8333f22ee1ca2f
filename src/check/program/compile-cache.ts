/**
 * A persistent compile cache for the program's TypeScript (docs/check.md "Compile cache"). A run that compiled
 * cleanly stores what the program's own ts-node handed to `Module.prototype._compile` for every file (the
 * JavaScript with its inline source map) and everything the compilation observed (compile-cache-fs.ts). A later
 * run with the same key whose observations all still hold serves that JavaScript through a stand-in for the
 * program's ts-node, installed in `require.cache` before the SDK's run.js requires it: run.js registers it as it
 * would ts-node, and the stand-in installs the same source-map support ts-node would, so stack traces still name
 * the user's .ts lines. Neither ts-node nor a TypeScript program is created. Anything the entry cannot answer
 * (a file it does not hold, other register options, other ts-node APIs) ends the run as incomplete; the caller
 * runs the program again without the cache.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { FsRecorder, sha256, validate } from "./compile-cache-fs";
import {
    CACHE_FORMAT,
    entryFile,
    readEntry,
    writeEntry,
    type CacheEntry,
    type CachedFile,
} from "./compile-cache-store";

export type CompileCacheMode = "off" | "hit" | "miss";

interface CompileCacheInput {
    sdkDir: string;
    programDir: string;
    main: string;
    typescript: boolean;
    tsconfig?: string;
    /** AUTH0_MCP_NO_CACHE, or a rerun after an incomplete entry. */
    disabled: boolean;
}

export interface CompileCache {
    readonly mode: CompileCacheMode;
    /** Why the last lookup missed (debugging), when it did. */
    readonly missReason: string | undefined;
    /** Once the language-host environment is set, before run.js is loaded. */
    prepare(): void;
    /** After a run with no problems: stores what a miss recorded. */
    commit(): void;
}

type Register = (options: unknown) => unknown;
type Compile = (this: Module, code: string, filename: string) => unknown;
/** A module being loaded: Node's `Module` with its (untyped) `_compile`. */
type Loading = Module & { _compile: Compile };
type Handler = (m: Loading, filename: string) => unknown;
type Flavor = "cspotcode" | "source-map-support";

interface TsNode {
    main: string;
    version: string;
    flavor: Flavor;
}

function resolveFrom(request: string, dir: string): string | undefined {
    try {
        return require.resolve(request, { paths: [dir] });
    } catch {
        return undefined;
    }
}

function packageVersion(file: string, name: string): string | undefined {
    for (let d = path.dirname(file); path.dirname(d) !== d; d = path.dirname(d)) {
        try {
            const pkg = JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")) as {
                name?: unknown;
                version?: unknown;
            };
            if (pkg.name === name && typeof pkg.version === "string") {
                return pkg.version;
            }
        } catch {
            // no package.json here
        }
    }
    return /[\\/]ts-node@(\d+\.\d+\.\d+)[\\/]/.exec(file)?.[1];
}

/** The ts-node the SDK's run.js will load (tsutils `typeScriptRequireStrings`: installed, else vendored). */
function locateTsNode(sdkDir: string): TsNode | undefined {
    const main = resolveFrom("ts-node", sdkDir) ?? resolveFrom(path.join(sdkDir, "vendor", "ts-node@7.0.1"), sdkDir);
    const version = main && packageVersion(main, "ts-node");
    const major = version ? Number.parseInt(version, 10) : 0;
    // The two registrations whose source-map support the stand-in reproduces (ts-node 10, ts-node 7).
    const flavor: Flavor | undefined = major === 10 ? "cspotcode" : major === 7 ? "source-map-support" : undefined;
    return main && version && flavor ? { main, version, flavor } : undefined;
}

function moduleInfo(request: string, dir: string): { file: string; version: string | undefined } | null {
    const file = resolveFrom(request, dir);
    return file ? { file, version: packageVersion(file, request) } : null;
}

/** Everything outside the file system that the compilation depends on. */
function cacheKey(input: CompileCacheInput, tsNode: TsNode): string {
    const env = Object.entries(process.env)
        .filter(([k]) =>
            /^(PULUMI_NODEJS_(TRANSPILE_ONLY|TSCONFIG_PATH|TYPESCRIPT)|TS_NODE_.*|NODE_OPTIONS|NODE_PATH)$/.test(k),
        )
        .sort(([a], [b]) => (a < b ? -1 : 1));
    const runJs = path.join(input.sdkDir, "cmd", "run", "run.js");
    return JSON.stringify({
        format: CACHE_FORMAT,
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        execArgv: process.execArgv,
        sdk: { runJs, version: packageVersion(runJs, "@pulumi/pulumi") },
        tsNode,
        typescript: {
            fromSdk: moduleInfo("typescript", input.sdkDir),
            fromProgram: moduleInfo("typescript", input.programDir),
        },
        programDir: path.resolve(input.programDir),
        main: path.resolve(input.main),
        options: { typescript: input.typescript, tsconfig: input.tsconfig ?? null },
        env,
    });
}

function extensions(): Record<string, Handler> {
    return (Module as unknown as { _extensions: Record<string, Handler> })._extensions;
}

function reorderExtensions(order: string[]): void {
    const exts = extensions();
    for (const ext of order) {
        const desc = Object.getOwnPropertyDescriptor(exts, ext);
        if (desc) {
            delete exts[ext];
            Object.defineProperty(exts, ext, desc);
        }
    }
}

/** Options as run.js passes them (plain data); undefined when they hold anything JSON cannot repeat. */
function optionsJson(options: unknown): string | undefined {
    let ok = true;
    const json = JSON.stringify(options ?? null, (_k, v: unknown) => {
        if (typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") {
            ok = false;
        }
        return v;
    });
    return ok ? json : undefined;
}

export function openCompileCache(input: CompileCacheInput, onIncomplete: (why: string) => void): CompileCache {
    let mode: CompileCacheMode = "off";
    let missReason: string | undefined;
    let commit = (): void => undefined;

    const prepare = (): void => {
        try {
            lookUp();
        } catch (e) {
            // The cache is an optimisation: when it cannot be set up, the program is compiled as usual.
            mode = "off";
            missReason = `compile cache unavailable: ${e instanceof Error ? e.message : String(e)}`;
            commit = () => undefined;
        }
    };
    const lookUp = (): void => {
        const tsNode =
            input.typescript && !input.disabled && !process.env["TS_NODE_DEBUG"]
                ? locateTsNode(input.sdkDir)
                : undefined;
        if (!tsNode || require.cache[tsNode.main]?.loaded === false) {
            return;
        }
        const key = cacheKey(input, tsNode);
        const file = entryFile(input.programDir, key);
        const entry = readEntry(file, key);
        missReason = entry ? validate(entry.observations) : "no entry";
        if (entry && missReason === undefined) {
            mode = "hit";
            serve(entry, tsNode, onIncomplete);
            return;
        }
        mode = "miss";
        const recording = record(tsNode, key);
        commit = () => {
            const stored = recording();
            if (stored) {
                writeEntry(file, stored);
            }
        };
    };
    return {
        get mode() {
            return mode;
        },
        get missReason() {
            return missReason;
        },
        prepare,
        commit: () => commit(),
    };
}

interface RecordHelpers {
    handler: Handler;
    /** Opens the file's recording phase; returns the function that closes it. */
    begin(filename: string): () => void;
    /** ts-node hands `code` to `_compile`: records it; returns the function that resumes recording afterwards. */
    captured(fileName: string, code: string): () => void;
}

interface ServeHelpers {
    old: Handler;
    lookup(filename: string): "passthrough" | { output: string; inputSha256: string };
    served(filename: string, fileName: string, code: string, file: { output: string; inputSha256: string }): string;
}

/**
 * The extension handlers stand where ts-node's do, on the stack of every module the program loads: the SDK
 * records that stack with each resource and the report walks it for a location. Defined as if in the ts-node
 * package (a file name in its directory, which holds no such file), their frames are library frames as ts-node's
 * are, so the recorded call stacks are the same as without the cache. Helpers they call return before the module
 * body runs.
 */
const RECORD_HANDLER = `(function (h) {
    return function (m, filename) {
        var own = m._compile;
        m._compile = function (code, fileName) {
            var resume = h.captured(fileName, code);
            try { return own.call(this, code, fileName); } finally { resume(); }
        };
        var end = h.begin(filename);
        try { return h.handler(m, filename); } finally { end(); }
    };
})`;

const SERVE_HANDLER = `(function (h) {
    return function (m, filename) {
        var file = h.lookup(filename);
        if (file === "passthrough") return h.old(m, filename);
        var compile = m._compile;
        m._compile = function (code, fileName) {
            return compile.call(this, h.served(filename, fileName, code, file), fileName);
        };
        return h.old(m, filename);
    };
})`;

function handlerFactory<H>(tsNode: TsNode, source: string): (helpers: H) => Handler {
    const filename = path.join(path.dirname(tsNode.main), "auth0-mcp-compile-cache.js");
    return vm.runInThisContext(source, { filename }) as (helpers: H) => Handler;
}

/** ts-node's service, as far as recording it needs. */
interface TsService {
    compile?: (code: string, fileName: string) => string;
    ignored?: (fileName: string) => boolean;
    options?: { require?: unknown[]; experimentalResolver?: unknown };
}

/** What a miss records: the registration, every compiled file, and whatever made the run unfit to store. */
class Recording {
    readonly recorder = new FsRecorder();
    readonly files: Record<string, CachedFile> = {};
    unfit: string | undefined;
    registered: Omit<CacheEntry, "files" | "observations"> | undefined;
    /** What ts-node's compile last returned, to recognise it when it reaches `_compile`. */
    lastCompiled: { fileName: string; input: string; output: string } | undefined;

    unfitBecause(why: string): void {
        this.unfit ??= why;
    }

    /** The entry to store, or undefined if unfit. */
    entry(): CacheEntry | undefined {
        if (this.unfit || this.recorder.unrecordable || !this.registered) {
            return undefined;
        }
        return { ...this.registered, files: this.files, observations: this.recorder.observations() };
    }
}

/** Miss: wraps the real ts-node's `register` to record; returns the entry to store, or undefined if unfit. */
function record(tsNode: TsNode, key: string): () => CacheEntry | undefined {
    const rec = new Recording();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own ts-node, by its resolved path
    const tsn = require(tsNode.main) as { register?: Register };
    const realRegister = tsn.register;
    if (typeof realRegister !== "function") {
        rec.unfitBecause("ts-node has no register");
    }
    tsn.register = function (this: unknown, options: unknown) {
        if (rec.registered || !realRegister) {
            rec.unfitBecause("ts-node registered twice");
            return realRegister?.call(this, options);
        }
        return registerRecording(rec, tsNode, key, options, () => realRegister.call(this, options) as TsService);
    };
    return () => rec.entry();
}

/** ts-node's registration, observed; then its compile and the extension handlers it hooked are recorded. */
function registerRecording(
    rec: Recording,
    tsNode: TsNode,
    key: string,
    options: unknown,
    realRegister: () => TsService,
): TsService {
    const registerOptions = optionsJson(options);
    if (registerOptions === undefined) {
        rec.unfitBecause("register options are not plain data");
    }
    const before = { ...extensions() };
    const extensionsBefore = Object.keys(before);
    const end = rec.recorder.begin();
    let service: TsService;
    try {
        service = realRegister();
    } finally {
        end();
    }
    if ((service.options?.require?.length ?? 0) > 0 || service.options?.experimentalResolver) {
        rec.unfitBecause("ts-node preloads modules or resolves modules itself");
    }
    const hooked = Object.keys(extensions()).filter((ext) => extensions()[ext] !== before[ext]);
    rec.registered = {
        format: CACHE_FORMAT,
        key,
        tsNodeVersion: tsNode.version,
        registerOptions: registerOptions ?? "",
        extensionsBefore,
        extensionsAfter: Object.keys(extensions()),
        hooked,
    };
    recordCompiles(rec, service);
    hookRecordingHandlers(rec, tsNode, service, hooked);
    return service;
}

/** Each ts-node compile runs in a recording phase; its input and output are kept for `_compile` to match. */
function recordCompiles(rec: Recording, service: TsService): void {
    const compile = service.compile;
    if (typeof compile !== "function") {
        rec.unfitBecause("ts-node has no compile");
        return;
    }
    service.compile = (code: string, fileName: string): string => {
        const endCompile = rec.recorder.begin();
        try {
            const output = compile.call(service, code, fileName);
            rec.lastCompiled = { fileName, input: code, output };
            return output;
        } finally {
            endCompile();
        }
    };
}

/** The handlers ts-node hooked, each wrapped to record the file it loads and what reaches `_compile`. */
function hookRecordingHandlers(rec: Recording, tsNode: TsNode, service: TsService, hooked: string[]): void {
    const recordingHandler = handlerFactory<RecordHelpers>(tsNode, RECORD_HANDLER);
    for (const ext of hooked) {
        const handler = extensions()[ext];
        if (!handler) continue;
        extensions()[ext] = recordingHandler({
            handler,
            begin: (filename) => {
                rec.lastCompiled = undefined;
                // A file ts-node ignores (ts-node 10 says which) is loaded as it is: nothing to record.
                return service.ignored?.call(service, filename) ? () => undefined : rec.recorder.begin();
            },
            captured: (fileName, code) => {
                const last = rec.lastCompiled;
                if (last && last.fileName === fileName && last.output === code) {
                    rec.files[fileName] = { output: code, inputSha256: sha256(last.input) };
                } else if (code === fs.readFileSync(fileName, "utf8")) {
                    rec.files[fileName] = { passthrough: true };
                } else {
                    rec.unfitBecause(`${fileName} reached ${ext} in a form the cache cannot reproduce`);
                }
                return rec.recorder.suspend();
            },
        });
    }
}

/** Hit: the stand-in ts-node in `require.cache`, serving the entry's compiled files. */
function serve(entry: CacheEntry, tsNode: TsNode, onIncomplete: (why: string) => void): void {
    const incomplete = (why: string): Error => {
        onIncomplete(why);
        return new Error(`auth0-mcp compile cache: ${why}; the program is run again without the cache`);
    };
    let registered = false;
    const register = (options: unknown): unknown => {
        if (registered) {
            throw incomplete("ts-node registered twice");
        }
        registered = true;
        if (optionsJson(options) !== entry.registerOptions) {
            throw incomplete("ts-node is registered with other options");
        }
        if (JSON.stringify(Object.keys(extensions())) !== JSON.stringify(entry.extensionsBefore)) {
            throw incomplete("other module loaders are installed");
        }
        const outputs = new Map<string, string>();
        installSourceMapSupport(tsNode, outputs);
        hookServingHandlers(entry, tsNode, outputs, incomplete);
        reorderExtensions(entry.extensionsAfter);
        return undefined;
    };
    const known: Record<string, unknown> = { VERSION: entry.tsNodeVersion, register };
    const stub = new Module(tsNode.main);
    stub.filename = tsNode.main;
    stub.loaded = true;
    stub.exports = new Proxy(known, {
        get(target, prop) {
            if (typeof prop === "symbol" || prop in target || prop === "__esModule" || prop === "then") {
                return target[prop as string];
            }
            throw incomplete(`the program uses ts-node's ${prop}`);
        },
    });
    require.cache[tsNode.main] = stub;
}

/** The source-map support ts-node would install, reading the served outputs. */
function installSourceMapSupport(tsNode: TsNode, outputs: Map<string, string>): void {
    const tsNodeDir = path.dirname(tsNode.main);
    if (tsNode.flavor === "cspotcode") {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy ts-node itself would load, by resolved path
        const sms = require(require.resolve("@cspotcode/source-map-support", { paths: [tsNodeDir] })) as {
            install(o: object): void;
        };
        sms.install({
            environment: "node",
            retrieveFile: (p: string) => outputs.get(p.replace(/\\/g, "/")) || "",
            redirectConflictingLibrary: true,
            onConflictingLibraryRedirect: () => undefined,
        });
    } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy ts-node itself would load, by resolved path
        const sms = require(require.resolve("source-map-support", { paths: [tsNodeDir] })) as {
            install(o: object): void;
        };
        sms.install({ environment: "node", retrieveFile: (p: string) => outputs.get(p) });
    }
}

/** Handlers for the extensions ts-node hooked, handing `_compile` the entry's output for each file. */
function hookServingHandlers(
    entry: CacheEntry,
    tsNode: TsNode,
    outputs: Map<string, string>,
    incomplete: (why: string) => Error,
): void {
    const jsHandler = extensions()[".js"];
    const servingHandler = handlerFactory<ServeHelpers>(tsNode, SERVE_HANDLER);
    for (const ext of entry.hooked) {
        const old = extensions()[ext] ?? jsHandler;
        if (!old) continue;
        extensions()[ext] = servingHandler({
            old,
            lookup: (filename) => {
                const file = entry.files[filename];
                if (!file) {
                    throw incomplete(`${filename} is not in the cache`);
                }
                return "passthrough" in file ? "passthrough" : file;
            },
            served: (filename, fileName, code, file) => {
                if (fileName !== filename || sha256(code) !== file.inputSha256) {
                    throw incomplete(`${filename} changed`);
                }
                outputs.set(fileName, file.output);
                return file.output;
            },
        });
    }
}
