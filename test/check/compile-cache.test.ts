/**
 * The compile cache (src/check/program/compile-cache*.ts): real program runs on throwaway programs. A hit is
 * observed through `ProgramRun.compileCache` and the cache files, never through time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CheckInputError } from "../../src/check/errors";
import type { ProgramRun } from "../../src/check/program-runner";
import { program, REPO, runDevStack } from "./helpers";

/** A realistic program: it type-checks against the whole of @pulumi/auth0's and @pulumi/pulumi's declarations. */
const INDEX = `import * as auth0 from "@pulumi/auth0";
import { name } from "./foo";
import type { Settings } from "local-types";

const settings: Settings = { lifetime: 3600 };
if (process.env["CC_TEST_THROW"]) {
    throw new Error("thrown on purpose");
}
new auth0.ResourceServer(name, {
    identifier: "https://api.example.com/mcp",
    tokenLifetime: settings.lifetime,
});
`;

/**
 * The same program, line for line, type-checked against a small typed module instead (see LIGHT_SDK_DTS). What the
 * cache records (reads, stats, directory listings, module resolutions of the program, its tsconfig.json and the
 * .d.ts files it uses) and how it hits, misses and invalidates do not depend on how large those declarations are;
 * loading @pulumi/auth0's and @pulumi/pulumi's, every @types package and the DOM library cost most of each
 * type-checked run's seconds.
 */
const LIGHT_INDEX = INDEX.replace('from "@pulumi/auth0"', 'from "auth0-light"');

/**
 * auth0-light: at run time the real @pulumi/auth0 (the program registers the same ResourceServer through the real
 * SDK), typed with only what the program uses, and `process`, as @types/node would declare it for the program.
 */
const LIGHT_SDK_JS = 'module.exports = require("@pulumi/auth0");\n';
const LIGHT_SDK_DTS = `export interface ResourceServerArgs {
    identifier: string;
    tokenLifetime?: number;
}
export declare class ResourceServer {
    constructor(name: string, args: ResourceServerArgs);
}
declare global {
    const process: { env: Record<string, string | undefined> };
}
`;

const dirs: string[] = [];

function writePackage(modules: string, name: string, files: Record<string, string>): void {
    fs.mkdirSync(path.join(modules, name));
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(modules, name, file), text);
}

/**
 * A program with a real node_modules directory (so the cache lives in it): this repository's packages linked in,
 * plus a local types package whose .d.ts the program's type-check reads. "realistic" is the program as a user
 * writes it; "light" (the default) type-checks in a fraction of the time: its tsconfig.json names no @types
 * packages (`types: []`, rather than every one this repository installs) and no DOM library, and it imports
 * auth0-light.
 */
function tempProgram(kind: "realistic" | "light" = "light"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-compile-cache-"));
    dirs.push(dir);
    const light = kind === "light";
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: compile-cache\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  auth0:domain: example.eu.auth0.com\n");
    const compilerOptions = light ? { strict: true, types: [], lib: ["es2020"] } : { strict: true };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
    fs.writeFileSync(path.join(dir, "index.ts"), light ? LIGHT_INDEX : INDEX);
    fs.mkdirSync(path.join(dir, "foo"));
    fs.writeFileSync(path.join(dir, "foo", "index.ts"), 'export const name = "from-dir";\n');
    const modules = path.join(dir, "node_modules");
    fs.mkdirSync(modules);
    for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
        if (entry !== ".cache") {
            fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
        }
    }
    writePackage(modules, "local-types", {
        "package.json": JSON.stringify({ name: "local-types", version: "1.0.0", types: "index.d.ts" }),
        "index.d.ts": "export interface Settings { lifetime: number }\n",
    });
    if (light) {
        writePackage(modules, "auth0-light", {
            "package.json": JSON.stringify({ name: "auth0-light", version: "1.0.0", types: "index.d.ts" }),
            "index.js": LIGHT_SDK_JS,
            "index.d.ts": LIGHT_SDK_DTS,
        });
    }
    return dir;
}

const cacheFiles = (dir: string): string[] => {
    const cache = path.join(dir, "node_modules", ".cache", "auth0-mcp");
    return fs.existsSync(cache) ? fs.readdirSync(cache).map((f) => path.join(cache, f)) : [];
};

const run = (dir: string): Promise<ProgramRun> => runDevStack(dir);

async function refusal(dir: string): Promise<string> {
    const err = await run(dir).then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CheckInputError);
    return (err as CheckInputError).oneLine();
}

/** Runs with `name` set to `value` in the environment the program child inherits. */
async function withEnv<T>(name: string, value: string, f: () => Promise<T>): Promise<T> {
    const before = process.env[name];
    process.env[name] = value;
    try {
        return await f();
    } finally {
        if (before === undefined) delete process.env[name];
        else process.env[name] = before;
    }
}

/** Edits a file so its size changes (the stat identity cannot hide the edit). */
function edit(file: string, from: string, to: string): void {
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain(from);
    fs.writeFileSync(file, text.replace(from, to));
}

afterEach(() => {
    delete process.env["CC_TEST_THROW"];
});

// vitest.config.mts runs programs transpile-only; the cache is tested on the default, type-checking run.
const transpileOnly = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
beforeAll(() => {
    delete process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
});

afterAll(() => {
    if (transpileOnly !== undefined) process.env["PULUMI_NODEJS_TRANSPILE_ONLY"] = transpileOnly;
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("compile cache", () => {
    // On the realistic program: a hit serves the compilation of a program that uses the real SDK's declarations.
    it("serves a clean run's compilation on the next run, with an identical result", async () => {
        const dir = tempProgram("realistic");
        const first = await run(dir);
        expect(first.compileCache).toBe("miss");
        expect(cacheFiles(dir)).toHaveLength(1);
        const second = await run(dir);
        expect(second.compileCache).toBe("hit");
        expect(second.resources).toEqual(first.resources);
        expect(JSON.stringify(second.resources)).toContain("index.ts");

        const uncached = await withEnv("AUTH0_MCP_NO_CACHE", "1", () => run(dir));
        expect(uncached.compileCache).toBe("off");
        expect(uncached.resources).toEqual(first.resources);
    }, 120_000);

    it("keeps an error's file:line on a hit exactly as on an uncached run", async () => {
        const dir = tempProgram();
        expect((await run(dir)).compileCache).toBe("miss");
        process.env["CC_TEST_THROW"] = "1";
        const onHit = await refusal(dir);
        const uncached = await withEnv("AUTH0_MCP_NO_CACHE", "1", () => refusal(dir));
        expect(onHit).toContain("thrown on purpose");
        expect(onHit).toContain("index.ts:7");
        expect(onHit).toBe(uncached);
    }, 120_000);

    it("misses after an edit to a program .ts file, tsconfig.json or a .d.ts under node_modules", async () => {
        const dir = tempProgram();
        expect((await run(dir)).compileCache).toBe("miss");
        expect((await run(dir)).compileCache).toBe("hit");

        edit(path.join(dir, "foo", "index.ts"), "from-dir", "edited-in-dir");
        const edited = await run(dir);
        expect(edited.compileCache).toBe("miss");
        expect(JSON.stringify(edited.resources)).toContain("edited-in-dir");
        expect((await run(dir)).compileCache).toBe("hit");

        edit(path.join(dir, "tsconfig.json"), '"strict":true', '"strict":true,"noImplicitReturns":true');
        expect((await run(dir)).compileCache).toBe("miss");
        expect((await run(dir)).compileCache).toBe("hit");

        // The type the program relies on changes: the cached run must not hide the new type error.
        edit(path.join(dir, "node_modules", "local-types", "index.d.ts"), "lifetime: number", "lifetime: string");
        expect(await refusal(dir)).toMatch(/TS2322/);
    }, 240_000);

    it("misses when a file appears where module resolution looked (foo.ts beside foo/index.ts)", async () => {
        const dir = tempProgram();
        expect((await run(dir)).compileCache).toBe("miss");
        fs.writeFileSync(path.join(dir, "foo.ts"), 'export const name = "from-file";\n');
        const after = await run(dir);
        expect(after.compileCache).toBe("miss");
        expect(JSON.stringify(after.resources)).toContain("from-file");
    }, 120_000);

    it("runs the whole program again without the cache when it requires a file the cache does not hold", async () => {
        // Transpile-only, nothing type-checks the import: only Node's resolution finds the new foo.ts.
        await withEnv("PULUMI_NODEJS_TRANSPILE_ONLY", "true", async () => {
            const dir = tempProgram();
            expect((await run(dir)).compileCache).toBe("miss");
            expect((await run(dir)).compileCache).toBe("hit");
            fs.writeFileSync(path.join(dir, "foo.ts"), 'export const name = "from-file";\n');
            const after = await run(dir);
            expect(after.compileCache).toBe("off");
            expect(JSON.stringify(after.resources)).toContain("from-file");
            expect(JSON.stringify(after.resources)).not.toContain("from-dir");
        });
    }, 120_000);

    it("still fails a type error introduced after a cached run, with the uncached message", async () => {
        const dir = tempProgram();
        expect((await run(dir)).compileCache).toBe("miss");
        edit(path.join(dir, "index.ts"), "lifetime: 3600", 'lifetime: "3600"');
        const cached = await refusal(dir);
        expect(cached).toMatch(/TS2322/);
        expect(cacheFiles(dir)).toHaveLength(1);
        expect(await withEnv("AUTH0_MCP_NO_CACHE", "1", () => refusal(dir))).toBe(cached);
        // A failing run is never stored: the next run compiles (and fails) again.
        expect(await refusal(dir)).toBe(cached);
    }, 120_000);

    it("hits for a program with its own TypeScript, as `pulumi new` lays it out (the sdk-recent fixture)", async () => {
        // ts-node resolves its compiler with the relative path 'tsconfig.json', which Node resolves from the working
        // directory; the cache is looked up before the language host changes into the program directory.
        await withEnv("PULUMI_NODEJS_TRANSPILE_ONLY", "true", async () => {
            const dir = program("sdk-recent");
            fs.rmSync(path.join(dir, "node_modules", ".cache", "auth0-mcp"), { recursive: true, force: true });
            expect((await run(dir)).compileCache).toBe("miss");
            expect((await run(dir)).compileCache).toBe("hit");
        });
    }, 120_000);

    it("misses when PULUMI_NODEJS_TRANSPILE_ONLY changes, and on a corrupt cache file", async () => {
        const dir = tempProgram();
        const first = await run(dir);
        expect(first.compileCache).toBe("miss");
        const transpiled = await withEnv("PULUMI_NODEJS_TRANSPILE_ONLY", "true", () => run(dir));
        expect(transpiled.compileCache).toBe("miss");
        expect(cacheFiles(dir)).toHaveLength(2);
        expect((await withEnv("PULUMI_NODEJS_TRANSPILE_ONLY", "true", () => run(dir))).compileCache).toBe("hit");

        for (const f of cacheFiles(dir)) fs.writeFileSync(f, '{"format":1,"key":');
        const afterCorruption = await run(dir);
        expect(afterCorruption.compileCache).toBe("miss");
        expect(afterCorruption.resources).toEqual(first.resources);
        expect((await run(dir)).compileCache).toBe("hit");
    }, 240_000);
});
