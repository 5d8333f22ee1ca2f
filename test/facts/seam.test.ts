/**
 * The seam between the package (src/) and the policy pack (policy/): src/ reaches the pack's code only through
 * policy/facts, the MCP facts both sides apply, and policy/facts stays loadable without @pulumi/* or ajv (the
 * component, the pack and the checker all load it). The checker and the audit launch the pack by directory
 * (`path.join(packageRoot(), "policy")` in src/check/check.ts and src/audit/audit.ts), not by import, so no
 * other import path into policy/ is allowed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const POLICY = path.join(ROOT, "policy");
const FACTS = path.join(POLICY, "facts");

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "bin" ? [] : tsFiles(full);
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

interface ImportSite {
    file: string;
    line: number;
    specifier: string;
}

/** Every module a file imports, exports from or requires, with the line it does so on. */
function importsOf(file: string): ImportSite[] {
    const text = fs.readFileSync(file, "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    return importedFiles.map((ref) => ({
        file: path.relative(ROOT, file),
        line: text.slice(0, ref.pos).split("\n").length,
        specifier: ref.fileName,
    }));
}

function resolvesInto(site: ImportSite, dir: string): boolean {
    if (!site.specifier.startsWith(".")) return false;
    const target = path.resolve(ROOT, path.dirname(site.file), site.specifier);
    return target === dir || target.startsWith(`${dir}${path.sep}`);
}

const show = (site: ImportSite) => `${site.file}:${site.line} imports "${site.specifier}"`;

describe("seam between src/ and the policy pack", () => {
    it("src/ imports from policy/ only through policy/facts", () => {
        const offending = tsFiles(path.join(ROOT, "src"))
            .flatMap(importsOf)
            .filter((site) => resolvesInto(site, POLICY) && !resolvesInto(site, FACTS))
            .map(
                (site) =>
                    `${show(site)}; import the fact from policy/facts instead (move it there if the pack and src/ share it)`,
            );
        expect(offending, `src/ reaches into the pack past policy/facts:\n${offending.join("\n")}`).toEqual([]);
    });

    it("policy/facts imports no @pulumi package, no ajv and nothing of the pack outside policy/facts", () => {
        const offending = tsFiles(FACTS)
            .flatMap(importsOf)
            .filter((site) =>
                site.specifier.startsWith(".") ? !resolvesInto(site, FACTS) : !site.specifier.startsWith("node:"),
            )
            .map((site) => `${show(site)}; policy/facts must load with Node built-ins and its own modules only`);
        expect(offending, `policy/facts has dependencies:\n${offending.join("\n")}`).toEqual([]);
    });

    it("policy/ holds only what the pack runs (every module is reached from policy/index.ts)", () => {
        const resolveModule = (site: ImportSite): string | undefined => {
            const base = path.resolve(ROOT, path.dirname(site.file), site.specifier);
            return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => fs.existsSync(candidate));
        };
        const reached = new Set<string>();
        const queue = [path.join(POLICY, "index.ts")];
        for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
            if (reached.has(file)) continue;
            reached.add(file);
            for (const site of importsOf(file)) {
                const target = site.specifier.startsWith(".") ? resolveModule(site) : undefined;
                if (target !== undefined) queue.push(target);
            }
        }
        // policy/facts/index.ts is src/'s door into the facts; the marked re-exports go once src/audit and src/check
        // import policy/facts.
        const unreached = tsFiles(POLICY).filter(
            (file) =>
                !reached.has(file) &&
                file !== path.join(FACTS, "index.ts") &&
                !fs
                    .readFileSync(file, "utf8")
                    .includes("TODO(seam): remove once src/audit and src/check import policy/facts"),
        );
        expect(
            unreached.map((file) => path.relative(ROOT, file)),
            "modules under policy/ the pack never loads; move checker-only code to src/check",
        ).toEqual([]);
    });
});
