/** Where a finished report goes, the same for `check` and `audit`. */
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckInputError } from "./errors";
import type { Violation } from "./types";

/** The streams a report and its verdict line go to (the CLI's `Io`, or a test's). */
interface ReportStreams {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
}

/** Writes the report to `output` (the one-line verdict then goes to stderr) or, without one, to stdout. */
export function emitReport(io: ReportStreams, report: string, output: string | undefined, verdict: string): void {
    if (!output) {
        io.stdout(report);
        return;
    }
    try {
        fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
        fs.writeFileSync(output, report);
    } catch (e) {
        throw new CheckInputError(
            `cannot write the report: ${(e as Error).message}`,
            output,
            "pass a writable --output path",
        );
    }
    io.stderr(`${verdict} (report: ${output})\n`);
}

/** The counts every report ends with. */
export function summarizeViolations(violations: readonly Violation[]): { mandatory: number; advisory: number } {
    return {
        mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
        advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
    };
}
