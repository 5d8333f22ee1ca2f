import { parseArgs } from "node:util";
import { parseAuditCommand, type AuditCommand } from "../audit/args";

export type Format = "text" | "json" | "sarif";

export interface CheckArgs {
    dir: string;
    stack: string;
    policyPack?: string;
    policyConfig?: string;
    /** `--no-policy-config`: judge with the pack's declared levels; do not look for Pulumi.<stack>.policy.json. */
    noPolicyConfig?: boolean;
    format: Format;
    output?: string;
    organization?: string;
    /** `--tag key=value`, in order; later ones win. */
    tags?: Record<string, string>;
    /** `--invoke-results FILE`: canned results for the program's invokes (data sources). */
    invokeResults?: string;
    /** `--state FILE`: the stack's state (`pulumi stack export`); its resources are previewed as updates. */
    state?: string;
}

type Command =
    | { kind: "check"; args: CheckArgs }
    | AuditCommand
    | { kind: "help" }
    | { kind: "version" }
    /** Bare `auth0-mcp`: usage on stderr, exit 2 (a script that forgot the command must not pass). */
    | { kind: "no-command" };

/** A wrong command line: exit 2 with this message and the usage hint. */
export class UsageError extends Error {}

export const USAGE = `Usage: auth0-mcp check [--dir DIR] [--stack NAME] [--policy-pack DIR] [--policy-config FILE | --no-policy-config]
                       [--organization NAME] [--tag KEY=VALUE]... [--format text|json|sarif] [--output FILE]
                       [--invoke-results FILE] [--state FILE]
       auth0-mcp --version     print the version of auth0-mcp
       auth0-mcp --help        print this help

Runs a Pulumi TypeScript program under mocks (as at \`pulumi preview\`, no credentials, no backend) and judges
it with a CrossGuard policy pack launched the way the Pulumi CLI launches it.

  --dir DIR            Pulumi program directory (Pulumi.yaml + Pulumi.<stack>.yaml)   [default: .]
  --stack NAME         stack whose Pulumi.<stack>.yaml config is used               [default: dev]
  --policy-pack DIR    policy pack directory                         [default: auth0-mcp's policy/]
  --policy-config FILE policy config JSON  [default: DIR/Pulumi.<stack>.policy.json if present, else none:
                       every policy at the level its pack declares, with its schema defaults]
  --no-policy-config   use no policy config even if DIR/Pulumi.<stack>.policy.json exists (CI: a stack the
                       base branch has no config for is judged at the pack's declared levels)
  --organization NAME  organization the pack is told (pulumi.getOrganization())  [default: organization]
  --tag KEY=VALUE      a stack tag for the pack (args.stackTags); repeatable. pulumi:project, pulumi:runtime,
                       pulumi:description, pulumi:tags config and vcs:root are derived
  --format FORMAT      text | json | sarif                                          [default: text]
  --output FILE        write the report to FILE instead of stdout
  --invoke-results FILE canned results for the program's invokes (data sources such as auth0.getClient),
                       JSON {"<function token>": result | [{"args": {...}, "result": {...}}]}   [default: none;
                       an invoke without a result is exit 2]
  --state FILE         the stack's state from \`pulumi stack export\` (--show-secrets to let rules read secret
                       outputs): resources it holds are previewed as updates over their prior outputs, the
                       rest as creates                                               [default: every resource is a create]

Reports: text lists the resources by type and each violation with the line of your program that declared it (for
resources inside auth0-mcp's components: where you constructed the component), the policy config used and the
outputs mode; json adds that location and the policy's remediation to each violation; sarif is for GitHub code
scanning, locations relative to the repository root. On a terminal a progress line is shown on stderr.

Exit status: 0 no mandatory violation; 1 at least one mandatory violation; 2 invalid input (also: no command).
`;

export function parseCommand(argv: string[]): Command {
    const [sub, ...rest] = argv;
    if (sub === undefined) {
        return { kind: "no-command" };
    }
    if (sub === "help" || sub === "--help" || sub === "-h") {
        return { kind: "help" };
    }
    if (sub === "--version" || sub === "-v") {
        return { kind: "version" };
    }
    if (sub === "audit") {
        return parseAuditCommand(rest);
    }
    if (sub !== "check") {
        throw new UsageError(`unknown command '${sub}'; the commands are 'check' and 'audit'`);
    }
    return parseCheckCommand(rest);
}

/** The flags `check` and `audit` share: what to judge, with which pack and config, and how to report. */
export const REPORT_FLAGS = {
    dir: { type: "string" },
    stack: { type: "string" },
    "policy-pack": { type: "string" },
    "policy-config": { type: "string" },
    format: { type: "string" },
    output: { type: "string" },
    organization: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;

/** Strict flag parsing (no positionals); a parse error is a usage error with node's first line. */
type FlagSpecs = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

type StrictFlags<T extends FlagSpecs> = { args: string[]; strict: true; allowPositionals: false; options: T };

export function parseFlags<T extends FlagSpecs>(
    rest: string[],
    options: T,
): ReturnType<typeof parseArgs<StrictFlags<T>>>["values"] {
    try {
        return parseArgs({ args: rest, strict: true, allowPositionals: false, options }).values;
    } catch (e) {
        throw new UsageError((e as Error).message.split("\n")[0]);
    }
}

export function reportFormat(format: string | undefined): Format {
    const f = format ?? "text";
    if (f !== "text" && f !== "json" && f !== "sarif") {
        throw new UsageError(`--format must be text, json or sarif, not '${f}'`);
    }
    return f;
}

export function rejectEmptyValues(values: Record<string, unknown>): void {
    for (const [flag, value] of Object.entries(values)) {
        if (value === "") {
            throw new UsageError(`--${flag} needs a value`);
        }
    }
}

function parseCheckFlags(rest: string[]) {
    return parseFlags(rest, {
        ...REPORT_FLAGS,
        "no-policy-config": { type: "boolean" },
        tag: { type: "string", multiple: true },
        "invoke-results": { type: "string" },
        state: { type: "string" },
    } as const);
}

function parseCheckCommand(rest: string[]): Command {
    const v = parseCheckFlags(rest);
    if (v.help) {
        return { kind: "help" };
    }
    const format = reportFormat(v.format);
    rejectEmptyValues(v);
    if (v["no-policy-config"] && v["policy-config"]) {
        throw new UsageError("--policy-config and --no-policy-config exclude each other");
    }
    const tags = parseTags(v.tag ?? []);
    return {
        kind: "check",
        args: {
            dir: v.dir ?? ".",
            stack: v.stack ?? "dev",
            format,
            ...(v["policy-pack"] ? { policyPack: v["policy-pack"] } : {}),
            ...(v["policy-config"] ? { policyConfig: v["policy-config"] } : {}),
            ...(v["no-policy-config"] ? { noPolicyConfig: true } : {}),
            ...(v.output ? { output: v.output } : {}),
            ...(v.organization ? { organization: v.organization } : {}),
            ...(tags ? { tags } : {}),
            ...(v["invoke-results"] ? { invokeResults: v["invoke-results"] } : {}),
            ...(v.state ? { state: v.state } : {}),
        },
    };
}

/** `--tag KEY=VALUE`s in order, later ones winning; undefined when there are none. */
function parseTags(given: string[]): Record<string, string> | undefined {
    let tags: Record<string, string> | undefined;
    for (const t of given) {
        const eq = t.indexOf("=");
        if (eq <= 0) {
            throw new UsageError(`--tag needs KEY=VALUE, not '${t}'`);
        }
        tags = { ...tags, [t.slice(0, eq)]: t.slice(eq + 1) };
    }
    return tags;
}
