import { parseFlags, rejectEmptyValues, REPORT_FLAGS, reportFormat, UsageError, type Format } from "../check/args";

export interface AuditArgs {
    dir?: string;
    stack?: string;
    policyPack?: string;
    policyConfig?: string;
    format: Format;
    output?: string;
    organization?: string;
    /** Exit 1 when the tenant drifted from the program, even without a mandatory violation. */
    failOnDrift: boolean;
}

export const AUDIT_USAGE = `Usage: auth0-mcp audit [--policy-config FILE] [--dir DIR --stack NAME] [--fail-on-drift]
                       [--policy-pack DIR] [--organization NAME] [--format text|json|sarif] [--output FILE]

Reads the live tenant through the Management API (read-only: GET requests and the token request only) and judges
it with the same policy pack, over the same analyzer interface, as \`auth0-mcp check\`. Lists every third-party and
CIMD client with its grants and governance metadata. Credentials come from the environment, as for the Pulumi
Auth0 provider: AUTH0_DOMAIN and AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN.

  --policy-config FILE policy config JSON  [default: DIR/Pulumi.<stack>.policy.json with --dir, else none]
  --dir DIR            Pulumi program to compare the tenant with (drift); needs --stack
  --stack NAME         stack of --dir whose Pulumi.<stack>.yaml config the program runs with
  --fail-on-drift      exit 1 when the tenant differs from the program
  --policy-pack DIR    policy pack directory                         [default: auth0-mcp's policy/]
  --organization NAME  organization the pack is told                 [default: organization]
  --format FORMAT      text | json | sarif                           [default: text]
  --output FILE        write the report to FILE instead of stdout

Exit status: 0 no mandatory violation; 1 at least one mandatory violation (or drift with --fail-on-drift);
2 invalid input or an incomplete read of the tenant (never reported as a clean tenant).
`;

export type AuditCommand = { kind: "audit"; args: AuditArgs } | { kind: "audit-help" };

export function parseAuditCommand(rest: string[]): AuditCommand {
    const v = parseFlags(rest, { ...REPORT_FLAGS, "fail-on-drift": { type: "boolean" } } as const);
    if (v.help) return { kind: "audit-help" };
    const format = reportFormat(v.format);
    rejectEmptyValues(v);
    if ((v.dir === undefined) !== (v.stack === undefined)) {
        throw new UsageError("--dir and --stack go together: the tenant is compared with that program's stack");
    }
    return {
        kind: "audit",
        args: {
            format,
            failOnDrift: v["fail-on-drift"] ?? false,
            ...(v.dir ? { dir: v.dir } : {}),
            ...(v.stack ? { stack: v.stack } : {}),
            ...(v["policy-pack"] ? { policyPack: v["policy-pack"] } : {}),
            ...(v["policy-config"] ? { policyConfig: v["policy-config"] } : {}),
            ...(v.output ? { output: v.output } : {}),
            ...(v.organization ? { organization: v.organization } : {}),
        },
    };
}
