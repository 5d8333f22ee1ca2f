/**
 * Runs the program the way `pulumi preview` does, through the program's own SDK's language-host entry point,
 * `@pulumi/pulumi/cmd/run/run.js` `run()` (what `pulumi-language-nodejs` starts via cmd/run/index.js). For the
 * SDK version the program pins, that function:
 * - registers ts-node as that version does: the program's (or the SDK's own) ts-node and TypeScript, the
 *   program's tsconfig.json merged over the version's defaults, type-checking unless PULUMI_NODEJS_TRANSPILE_ONLY
 *   or `noCheck` says otherwise;
 * - finds the entry point (Pulumi.yaml `main`, else package.json `exports`/`main`, ESM for `"type": "module"`);
 * - installs the uncaught-exception handlers that log the error and fail the run;
 * - runs the program inside the root `pulumi:pulumi:Stack`.
 * Only cmd/run/index.js is left out: it connects to a real engine; its one export run.js reads is stubbed.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as util from "node:util";

interface HostOptions {
    programDir: string;
    /** The Pulumi.yaml `main` (absolute), or the program directory when there is none. */
    main: string;
    /** Pulumi.yaml `runtime.options.typescript` (default true). */
    typescript: boolean;
    /** Pulumi.yaml `runtime.options.tsconfig`, when set. */
    tsconfig?: string;
}

interface HostHooks {
    /** The language host logged this uncaught error (run.js `reportLoggedError`). */
    reportLoggedError(err: unknown): void;
    isErrorReported(err: unknown): boolean;
}

type Run = (
    argv: { _: string[]; pwd: string },
    programStarted: () => void,
    reportLoggedError: (e: unknown) => void,
    isErrorReported: (e: unknown) => boolean,
) => Promise<unknown>;

/** cmd/run/index.js runs `main()` when loaded; run.js only reads this constant from it. */
function stubLanguageHostIndex(sdkDir: string): void {
    const file = path.join(sdkDir, "cmd", "run", "index.js");
    const stub = new Module(file);
    stub.filename = file;
    stub.loaded = true;
    stub.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
    require.cache[file] = stub;
}

/**
 * Newer run.js formats an uncaught error with `util.inspect(err, { colors: true })` (cmd/run/error.js
 * `defaultErrorMessage`). On Node 20, colouring a stack frame that source maps place under
 * `node_modules/@pulumi/<file>.ts` (the SDK's own frames) loops in `markNodeModules` until the string overflows
 * (a minute and gigabytes, then a RangeError the SDK catches and retries without colours). Skip the colours.
 */
function uncolouredErrorMessages(sdkDir: string): void {
    const file = path.join(sdkDir, "cmd", "run", "error.js");
    if (!fs.existsSync(file)) {
        return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own SDK module, by computed path
    const errorModule = require(file) as { defaultErrorMessage?: (err: unknown) => string };
    if (typeof errorModule.defaultErrorMessage === "function") {
        errorModule.defaultErrorMessage = (err: unknown) => {
            const e = err as { stack?: unknown; message?: unknown } | undefined;
            return e?.stack ? util.inspect(err) : typeof e?.message === "string" && e.message ? e.message : String(err);
        };
    }
}

/** Environment the Go language host sets for the Node.js entry (pulumi-language-nodejs). */
function hostEnvironment(opts: HostOptions): void {
    if (opts.typescript) {
        process.env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
    } else {
        delete process.env["PULUMI_NODEJS_TYPESCRIPT"];
    }
    if (opts.tsconfig) {
        process.env["PULUMI_NODEJS_TSCONFIG_PATH"] = opts.tsconfig;
    }
}

/**
 * The program argument the language host passes: the Pulumi.yaml `main`, or "." for none, in which case run.js
 * takes package.json `exports`/`main` of the nearest package.json above the program. A project directory without
 * its own package.json would then run an unrelated enclosing package's entry (e.g. a program nested in a
 * monorepo or in this repository's test fixtures); the check runs the project's own index instead.
 */
function entryArgument(opts: HostOptions): string {
    if (path.resolve(opts.main) !== path.resolve(opts.programDir)) {
        return path.relative(opts.programDir, opts.main);
    }
    return fs.existsSync(path.join(opts.programDir, "package.json")) ? "." : `.${path.sep}`;
}

/**
 * `compileCache` (compile-cache.ts) is prepared once the environment is the language host's and before run.js
 * loads the program's ts-node: it then records that ts-node's compilation, or stands in for it.
 */
export function runLikeLanguageHost(
    sdkDir: string,
    opts: HostOptions,
    hooks: HostHooks,
    compileCache?: { prepare(): void },
): Promise<unknown> {
    hostEnvironment(opts);
    stubLanguageHostIndex(sdkDir);
    uncolouredErrorMessages(sdkDir);
    compileCache?.prepare();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own SDK run.js, by computed path
    const { run } = require(path.join(sdkDir, "cmd", "run", "run.js")) as { run: Run };
    const program = entryArgument(opts);
    return run(
        { _: [program], pwd: opts.programDir },
        () => undefined,
        (e) => hooks.reportLoggedError(e),
        (e) => hooks.isErrorReported(e),
    );
}
