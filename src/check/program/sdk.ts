/**
 * Which `@pulumi/pulumi` a program runs with, and whether the offline check can drive it. The check runs the
 * program through that SDK's own language-host entry (cmd/run/run.js) and mocks (runtime/mocks.js); both exist
 * with the shape the check relies on in every 3.x release.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckInputError, displayPath } from "../errors";

/** The oldest `@pulumi/pulumi` the check supports (README: "Program SDK versions"). */
const OLDEST_SUPPORTED_SDK = "3.0.0";

interface ProgramSdk {
    /** Directory of the program's `@pulumi/pulumi` package. */
    dir: string;
    version: string;
}

/** Resolves `@pulumi/pulumi` the way the program's own `require` would, from the program directory. */
export function locateSdk(programDir: string): ProgramSdk | undefined {
    let manifest: string;
    try {
        manifest = require.resolve("@pulumi/pulumi/package.json", { paths: [programDir] });
    } catch {
        return undefined;
    }
    const version = String(JSON.parse(fs.readFileSync(manifest, "utf8")).version ?? "0.0.0");
    return { dir: path.dirname(manifest), version };
}

/** Compares dotted numeric versions (pre-release suffixes ignored): negative when a < b. */
function compareVersions(a: string, b: string): number {
    const parts = (v: string) =>
        v
            .split("-")[0]
            .split(".")
            .map((n) => Number.parseInt(n, 10) || 0);
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0) {
            return d;
        }
    }
    return 0;
}

/** The nearest package.json at or above `dir` (where the program declares its dependencies). */
function manifestOf(dir: string): string {
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
        const candidate = path.join(d, "package.json");
        if (fs.existsSync(candidate)) {
            return candidate;
        }
        if (path.dirname(d) === d) {
            return path.join(dir, "package.json");
        }
    }
}

/** The program's SDK, or a {@link CheckInputError} saying how to install or upgrade it. */
export function requireSupportedSdk(programDir: string): ProgramSdk {
    const sdk = locateSdk(programDir);
    if (!sdk) {
        throw new CheckInputError(
            "the program's dependencies are not installed (@pulumi/pulumi not found)",
            programDir,
            "run npm install there",
        );
    }
    if (compareVersions(sdk.version, OLDEST_SUPPORTED_SDK) < 0) {
        const manifest = manifestOf(programDir);
        throw new CheckInputError(
            `@pulumi/pulumi ${sdk.version} is older than ${OLDEST_SUPPORTED_SDK}, the oldest version the offline check supports; ` +
                `upgrade it in ${displayPath(manifest)}`,
            programDir,
            "",
        );
    }
    return sdk;
}
