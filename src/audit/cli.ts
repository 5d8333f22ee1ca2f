/**
 * `auth0-mcp audit`: exit 0 when no mandatory violation, 1 when at least one (or drift with --fail-on-drift), 2 on
 * invalid input or when the tenant could not be read completely (one line on stderr: what, where, how to fix).
 */
import { CheckInputError } from "../check/errors";
import { emitReport } from "../check/report-output";
import { Redactor } from "../check/secrets";
import type { Io } from "../check/cli";
import type { AuditArgs } from "./args";
import { runAudit, type AuditOptions } from "./audit";
import { auditExitCode, auditSummaryLine, renderAudit } from "./report";

export async function runAuditCommand(
    args: AuditArgs,
    io: Io,
    toolVersion: string,
    env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
    const opts: AuditOptions = {
        env,
        ...(args.dir ? { dir: args.dir } : {}),
        ...(args.stack ? { stack: args.stack } : {}),
        ...(args.policyPack ? { policyPack: args.policyPack } : {}),
        ...(args.policyConfig ? { policyConfig: args.policyConfig } : {}),
        ...(args.organization ? { organization: args.organization } : {}),
    };
    // Errors are built without credentials; this is the last line of defence for anything quoted from elsewhere.
    const redactor = new Redactor(
        [env["AUTH0_CLIENT_SECRET"], env["AUTH0_API_TOKEN"]]
            .filter((v): v is string => Boolean(v?.trim()))
            .map((v) => v.trim()),
    );
    try {
        const result = await runAudit(opts);
        const report = renderAudit(result, args.format, toolVersion, args.failOnDrift);
        if (env["AUTH0_MCP_CHECK_TIMINGS"]) {
            io.stderr(
                `timings: ${JSON.stringify({ ...result.timings, reads: result.audit.reads, objects: result.resources.length })}\n`,
            );
        }
        emitReport(io, report, args.output, auditSummaryLine(result));
        return auditExitCode(result, args.failOnDrift);
    } catch (e) {
        if (e instanceof CheckInputError) {
            io.stderr(`auth0-mcp audit: error: ${redactor.redact(e.oneLine())}\n`);
            return 2;
        }
        const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
        io.stderr(
            `auth0-mcp audit: error: internal failure: ${redactor.redact(msg ?? "")} (auth0-mcp): please report it with the command line\n`,
        );
        return 2;
    }
}
