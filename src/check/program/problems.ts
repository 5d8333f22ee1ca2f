/**
 * Everything that makes a program run unfit to judge, collected in the program child: exceptions (thrown while
 * loading, in `apply` callbacks, in late async work), compile errors, errors the program or the SDK logged, failed
 * invokes, resource transforms. Each keeps its whole message and the user's file:line, never ours.
 */
import * as path from "node:path";

export type ProblemKind = "threw" | "compile" | "logged" | "invoke" | "transform" | "exit" | "leaked";

/** Plain data: crosses IPC to the parent. */
export interface ProgramProblem {
    kind: ProblemKind;
    message: string;
    /** `file:line` relative to the program directory. */
    location?: string;
}

const FRAME = /\(?((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^()]+?):(\d+):(\d+)\)?\s*$/;

/** The first stack frame inside the program (not node_modules) of a stack trace text. */
function programFrameOf(stack: string, programDir: string): string | undefined {
    for (const line of stack.split("\n")) {
        const m = FRAME.exec(line.trim());
        if (!m || !line.trim().startsWith("at ")) {
            continue;
        }
        const file = m[1].startsWith("file://") ? decodeURIComponent(new URL(m[1]).pathname) : m[1];
        if (file.startsWith(programDir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`)) {
            return `${path.relative(programDir, file)}:${m[2]}`;
        }
    }
    return undefined;
}

/** Where the caller of the current function sits in the program, taken synchronously (before any await). */
export function callSite(programDir: string): string | undefined {
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    const stack = new Error("call site").stack ?? "";
    Error.stackTraceLimit = saved;
    return programFrameOf(stack, programDir);
}

/** ts-node's compile error: `diagnosticText` lists every diagnostic as `file(line,col): error TSnnnn: …`. */
interface TsError extends Error {
    diagnosticText?: string;
}

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;

/** ts-node diagnostics as `file:line:col error TSnnnn: message` lines, paths relative to the program directory. */
function compileDiagnostics(err: TsError, programDir: string): { lines: string[]; location?: string } {
    const text = (err.diagnosticText ?? err.message.replace(/^⨯ Unable to compile TypeScript:\s*/, "")).trim();
    const lines: string[] = [];
    let location: string | undefined;
    for (const raw of text.split("\n")) {
        const m = DIAGNOSTIC.exec(raw.trim());
        if (!m) {
            if (raw.trim()) {
                lines.push(raw.trim());
            }
            continue;
        }
        const file = path.relative(programDir, path.resolve(programDir, m[1]));
        location ??= `${file}:${m[2]}`;
        lines.push(`${file}:${m[2]}:${m[3]} ${m[4]} ${m[5]}: ${m[6]}`);
    }
    return { lines, ...(location ? { location } : {}) };
}

function isTsError(e: unknown): e is TsError {
    return e instanceof Error && e.name === "TSError";
}

/** Node's SyntaxError for JavaScript puts the location in the first stack line: `/abs/file.js:3`. */
function syntaxErrorLocation(e: Error, programDir: string): string | undefined {
    const first = (e.stack ?? "").split("\n")[0] ?? "";
    const m = /^((?:\/|[A-Za-z]:\\).+):(\d+)$/.exec(first.trim());
    if (m && m[1].startsWith(programDir + path.sep)) {
        return `${path.relative(programDir, m[1])}:${m[2]}`;
    }
    return undefined;
}

function errorText(e: unknown): string {
    if (e instanceof Error) {
        const prefix = e.name && e.name !== "Error" ? `${e.name}: ` : "";
        return `${prefix}${e.message}`;
    }
    return String(e);
}

export class ProblemLog {
    readonly problems: ProgramProblem[] = [];
    private readonly seenErrors = new WeakSet<object>();
    /** Messages of problems already recorded, to drop the same failure when it resurfaces wrapped or logged. */
    private readonly covered: string[] = [];

    constructor(private readonly programDir: string) {}

    add(problem: ProgramProblem): void {
        this.problems.push(problem);
        this.covered.push(problem.message);
    }

    /** True when `text` repeats a problem already recorded (the SDK re-throws, wraps and logs the same error). */
    private repeats(text: string): boolean {
        return this.covered.some((m) => m.length > 0 && (text.includes(m) || m.includes(text)));
    }

    /** An exception from the program: a load-time throw, a rejected `apply`, a compile error. */
    thrown(e: unknown): void {
        if (typeof e === "object" && e !== null) {
            if (this.seenErrors.has(e)) {
                return;
            }
            this.seenErrors.add(e);
        }
        if (isTsError(e)) {
            const { lines, location } = compileDiagnostics(e, this.programDir);
            this.add({ kind: "compile", message: lines.join("\n"), ...(location ? { location } : {}) });
            return;
        }
        const message = errorText(e);
        if (this.repeats(message)) {
            return;
        }
        const stack = e instanceof Error && typeof e.stack === "string" ? e.stack : "";
        const location =
            e instanceof SyntaxError
                ? syntaxErrorLocation(e, this.programDir)
                : programFrameOf(stack.split("\n").slice(1).join("\n"), this.programDir);
        this.add({ kind: "threw", message, ...(location ? { location } : {}) });
    }

    /** An error-level message logged through the SDK (`pulumi.log.error`, or the SDK reporting a failure). */
    logged(text: string): void {
        const message = text
            .split("\n")
            .filter((l) => !/^\s+at /.test(l))
            .join("\n")
            .trim();
        if (this.repeats(message) || /^Running program '.*' failed with an unhandled exception:/.test(message)) {
            return; // the language host logging an exception that is (or will be) recorded as thrown
        }
        this.add({ kind: "logged", message, ...this.at(callSite(this.programDir)) });
    }

    private at(location: string | undefined): { location?: string } {
        return location ? { location } : {};
    }
}
