/**
 * Compiles the program runner (src/check/runner-child.ts and every module it imports, relative imports only) from
 * the current source into `outDir`, laid out as under the repository root, the way ts-node would compile it from
 * source: per file, without type-checking (ts.transpileModule), with this repository's compiler options.
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

/** The .ts file a relative `require` of the compiled output refers to, if it is one of this repository's. */
function sourceOf(fromFile: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(fromFile), specifier);
    return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
}

/** Returns the compiled entry point and the number of modules compiled. */
export function buildProgramRunner(outDir: string): { entry: string; modules: number } {
    const options = compilerOptions();
    const done = new Set<string>();
    const queue = [RUNNER_SOURCE];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
        if (done.has(file)) continue;
        done.add(file);
        const out = ts.transpileModule(fs.readFileSync(file, "utf8"), { compilerOptions: options, fileName: file });
        const target = path.join(outDir, path.relative(REPO, file)).replace(/\.ts$/, ".js");
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, out.outputText);
        for (const m of out.outputText.matchAll(/\brequire\("(\.{1,2}\/[^"]*)"\)/g)) {
            const source = sourceOf(file, m[1] ?? "");
            if (source) queue.push(source);
            else if (!fs.existsSync(path.resolve(path.dirname(file), m[1] ?? ""))) throw new Error(`${file}: cannot find ${m[1]}`);
        }
    }
    return { entry: path.join(outDir, path.relative(REPO, RUNNER_SOURCE)).replace(/\.ts$/, ".js"), modules: done.size };
}
