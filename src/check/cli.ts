/**
 * `auth0-mcp check`: exit 0 when no mandatory violation, 1 when at least one, 2 on invalid input (one line on
 * stderr saying what, where and how to fix it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AUDIT_USAGE } from "../audit/args";
import { parseCommand, USAGE, UsageError, type CheckArgs } from "./args";
import { packageRoot, runCheck } from "./check";
import { CheckInputError } from "./errors";
import { formatJson } from "./reporters/json";
import { formatSarif } from "./reporters/sarif";
import { emitReport } from "./report-output";
import { formatText, summaryLine } from "./reporters/text";
import type { CheckResult } from "./types";

export interface Io {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    /** Whether stderr is a terminal: only then is the progress line shown (never in CI logs). */
    stderrIsTTY?: boolean;
}

const processIo: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stderrIsTTY: process.stderr.isTTY === true,
};

/** One line on a terminal's stderr, rewritten per phase and erased before anything else is printed. */
class ProgressLine {
    private shown = false;
    constructor(private readonly io: Io) {}

    show(text: string): void {
        if (this.io.stderrIsTTY) {
            this.io.stderr(`\r\x1b[K${text}`);
            this.shown = true;
        }
    }

    clear(): void {
        if (this.shown) {
            this.io.stderr("\r\x1b[K");
            this.shown = false;
        }
    }
}

function version(): string {
    try {
        return JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")).version;
    } catch {
        return "0.0.0";
    }
}

export function render(result: CheckResult, format: CheckArgs["format"]): string {
    switch (format) {
        case "json":
            return formatJson(result);
        case "sarif":
            return formatSarif(result, version());
        default:
            return formatText(result);
    }
}

/** Runs the CLI; returns the exit status instead of exiting (tests call this in-process). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
    let answered: number | CheckArgs;
    try {
        answered = await answerUnlessCheck(parseCommand(argv), io);
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr(`auth0-mcp: error: ${e.message} (command line): run 'auth0-mcp --help'\n`);
            return 2;
        }
        throw e;
    }
    return typeof answered === "number" ? answered : runCheckCommand(answered, io);
}

/** Help, version, a missing command and `audit` are answered here (their exit status); `check` returns its arguments. */
async function answerUnlessCheck(cmd: ReturnType<typeof parseCommand>, io: Io): Promise<number | CheckArgs> {
    if (cmd.kind === "no-command") {
        io.stderr(
            `auth0-mcp: error: no command given (command line): run 'auth0-mcp check' in a Pulumi program's directory\n\n${USAGE}\n${AUDIT_USAGE}`,
        );
        return 2;
    }
    if (cmd.kind === "help") {
        io.stdout(`${USAGE}\n${AUDIT_USAGE}`);
        return 0;
    }
    if (cmd.kind === "audit-help") {
        io.stdout(AUDIT_USAGE);
        return 0;
    }
    if (cmd.kind === "audit") {
        // Loaded only for `audit`: it brings the Auth0 SDK, which `check` never uses.
        const { runAuditCommand } = await import("../audit/cli");
        return await runAuditCommand(cmd.args, io, version());
    }
    if (cmd.kind === "version") {
        io.stdout(`${version()}\n`);
        return 0;
    }
    return cmd.args;
}

/** `auth0-mcp check`: the report, and exit 1 on a mandatory violation, 2 on invalid input. */
async function runCheckCommand(args: CheckArgs, io: Io): Promise<number> {
    const progress = new ProgressLine(io);
    try {
        progress.show("auth0-mcp check: running the program and starting the policy pack…");
        const result = await runCheck({
            dir: args.dir,
            stack: args.stack,
            ...(args.policyPack ? { policyPack: args.policyPack } : {}),
            ...(args.policyConfig ? { policyConfig: args.policyConfig } : {}),
            ...(args.noPolicyConfig ? { noPolicyConfig: true } : {}),
            ...(args.organization ? { organization: args.organization } : {}),
            ...(args.tags ? { tags: args.tags } : {}),
            ...(args.invokeResults ? { invokeResults: args.invokeResults } : {}),
            ...(args.state ? { state: args.state } : {}),
            onPhase: (text) => progress.show(`auth0-mcp check: ${text}`),
        });
        progress.clear();
        const report = render(result, args.format);
        if (process.env["AUTH0_MCP_CHECK_TIMINGS"]) {
            io.stderr(`timings: ${JSON.stringify(result.timings)}\n`);
        }
        emitReport(io, report, args.output, summaryLine(result));
        return result.summary.mandatory > 0 ? 1 : 0;
    } catch (e) {
        progress.clear();
        if (e instanceof CheckInputError) {
            io.stderr(`auth0-mcp check: error: ${e.oneLine()}\n`);
            return 2;
        }
        const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
        io.stderr(
            `auth0-mcp check: error: internal failure: ${msg} (auth0-mcp): please report it with the command line\n`,
        );
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
