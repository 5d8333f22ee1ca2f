/**
 * Turns what the program child reported into the one exit-2 error: every problem with its whole message and
 * the user's file:line (relative to where the check was started), so nothing the program said is lost.
 */
import * as path from "node:path";
import { CheckInputError, displayPath } from "../errors";
import type { ProblemKind, ProgramProblem } from "./problems";

const LABEL: Record<ProblemKind, string> = {
    threw: "the program threw",
    compile: "the program does not compile",
    logged: "the program logged an error",
    invoke: "an invoke cannot run offline",
    transform: "the program uses resource transforms",
    exit: "the program exited early",
    leaked: "the program left work unfinished",
};

const FIX: Record<ProblemKind, string> = {
    threw: "fix the program so that `pulumi preview` would run",
    compile: "fix the TypeScript errors (`pulumi preview` type-checks the program the same way)",
    logged: "fix the cause of the logged error (`pulumi preview` fails on it too)",
    invoke: "pass --invoke-results FILE with a canned result for that data source or read (format: auth0-mcp check --help)",
    transform: "remove the transforms or judge this program with `pulumi preview --policy-pack`",
    exit: "let the program finish instead of exiting",
    leaked: "make every input settle and break any cycle between resources (PULUMI_DEBUG_PROMISE_LEAKS=1 with `pulumi preview` shows each pending promise)",
};

function where(p: ProgramProblem, programDir: string): string | undefined {
    return p.location ? displayPath(path.join(programDir, p.location)) : undefined;
}

export function programProblemsError(problems: ProgramProblem[], programDir: string, main: string): CheckInputError {
    if (problems.length === 1) {
        const p = problems[0];
        const at = p.location ? path.join(programDir, p.location) : main;
        const what =
            p.kind === "invoke" || p.kind === "transform" || p.kind === "exit" || p.kind === "leaked"
                ? p.message
                : `${LABEL[p.kind]}: ${p.message}`;
        return new CheckInputError(what, at, FIX[p.kind]);
    }
    const listed = problems.map((p, i) => {
        const loc = where(p, programDir);
        return `[${i + 1}] ${p.kind === "invoke" || p.kind === "transform" ? "" : `${LABEL[p.kind]}: `}${p.message}${loc ? ` (${loc})` : ""}`;
    });
    const kinds = [...new Set(problems.map((p) => p.kind))];
    return new CheckInputError(
        `the program reported ${problems.length} problems: ${listed.join(" ")}`,
        main,
        kinds.map((k) => FIX[k]).join("; "),
    );
}
