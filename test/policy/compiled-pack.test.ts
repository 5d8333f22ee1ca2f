/**
 * The pack ships compiled: policy/package.json `main` is bin/index.js, so `pulumi preview --policy-pack policy`
 * (and the offline check) load JavaScript instead of type-checking the TypeScript sources at every launch
 * (@pulumi/pulumi cmd/run-policy-pack/run.js `run`: ts-node is registered, then `require(<pack dir>)` follows
 * package.json `main`). `npm run build` (run by `npm ci` through `prepare`) writes bin/; this test fails when bin/
 * differs from what the sources compile to, so a stale compiled pack cannot ship.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { PACK_DIR } from "./helpers";

const BIN = path.join(PACK_DIR, "bin");

function listFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? listFiles(full) : [full];
    });
}

describe("compiled policy pack", () => {
    it("points main at compiled JavaScript", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        expect(pkg.main).toBe("bin/index.js");
    });

    it("bin/ is exactly what the TypeScript sources compile to (run `npm run build` after changing policy/)", () => {
        const parsed = ts.getParsedCommandLineOfConfigFile(
            path.join(PACK_DIR, "tsconfig.json"),
            {},
            {
                ...ts.sys,
                onUnRecoverableConfigFileDiagnostic: (d) => {
                    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
                },
            },
        );
        if (!parsed) throw new Error("policy/tsconfig.json could not be read");
        // Emit only: type errors are `npm run typecheck`'s business, and skipping the checker keeps this test fast.
        const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noCheck: true });
        const expected = new Map<string, string>();
        const result = program.emit(undefined, (file, text) => expected.set(path.resolve(file), text));
        expect(result.emitSkipped).toBe(false);

        const stale: string[] = [];
        for (const [file, text] of expected) {
            const onDisk = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
            if (onDisk !== text)
                stale.push(`${path.relative(PACK_DIR, file)} ${onDisk === undefined ? "is missing" : "differs"}`);
        }
        for (const file of listFiles(BIN)) {
            if (!expected.has(path.resolve(file)))
                stale.push(`${path.relative(PACK_DIR, file)} has no source any more`);
        }
        expect(stale, "run `npm run build` to recompile the policy pack").toEqual([]);
    });
});
