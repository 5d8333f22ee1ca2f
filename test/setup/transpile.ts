/**
 * Compiles, from the current source, what the suite would otherwise have compiled again in every child process:
 * the way ts-node compiles without type-checking (ts.transpileModule, per file), with this repository's compiler
 * options, laid out in `outDir` as under the repository root.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const REPO = path.resolve(__dirname, "../..");
export const RUNNER_SOURCE = path.join(REPO, "src/check/runner-child.ts");

function compilerOptions(): ts.CompilerOptions {
    const file = path.join(REPO, "tsconfig.json");
    const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
    if (read.error) {
        throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
    }
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO, undefined, file);
    return { ...parsed.options, declaration: false, sourceMap: false, inlineSourceMap: false, noEmit: false };
}

function transpile(file: string, target: string, options: ts.CompilerOptions): string {
    const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        compilerOptions: options,
        fileName: file,
        reportDiagnostics: true,
    });
    if (out.diagnostics && out.diagnostics.length > 0) {
        throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(out.diagnostics[0]?.messageText, "\n")}`);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
    return out.outputText;
}

/** The .ts file a relative `require` of the compiled output refers to, if it is one of this repository's. */
function sourceOf(fromFile: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(fromFile), specifier);
    return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
}

const outputOf = (outDir: string, file: string) => path.join(outDir, path.relative(REPO, file)).replace(/\.ts$/, ".js");

/**
 * The program runner (src/check/runner-child.ts) and every module it requires, followed through relative
 * `require`s of the output. Returns the compiled entry point.
 */
export function buildProgramRunner(outDir: string): string {
    const options = compilerOptions();
    const done = new Set<string>();
    const queue = [RUNNER_SOURCE];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
        if (done.has(file)) continue;
        done.add(file);
        const js = transpile(file, outputOf(outDir, file), options);
        for (const m of js.matchAll(/\brequire\("(\.{1,2}\/[^"]*)"\)/g)) {
            const specifier = m[1] ?? "";
            const source = sourceOf(file, specifier);
            if (source) queue.push(source);
            else if (!fs.existsSync(path.resolve(path.dirname(file), specifier)))
                throw new Error(`${file}: cannot find ${specifier}`);
        }
    }
    return outputOf(outDir, RUNNER_SOURCE);
}

/**
 * A one-file TypeScript policy pack (its index.ts, PulumiPolicy.yaml and package.json) as the same pack in
 * JavaScript, the way a pack is published: run-policy-pack then loads it without type-checking it. Returns the
 * compiled pack's directory.
 */
export function buildJavaScriptPack(packDir: string, outDir: string): string {
    const target = path.join(outDir, path.relative(REPO, packDir));
    transpile(path.join(packDir, "index.ts"), path.join(target, "index.js"), compilerOptions());
    for (const f of fs.readdirSync(packDir)) {
        if (!f.endsWith(".ts")) fs.copyFileSync(path.join(packDir, f), path.join(target, f));
    }
    return target;
}
