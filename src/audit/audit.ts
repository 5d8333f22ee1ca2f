/**
 * `auth0-mcp audit`: the live tenant (Management API, read-only) → @pulumi/auth0 property shapes → the same policy
 * pack over the same analyzer interface the offline check drives (src/check/analyze.ts) → violations, plus the MCP
 * client inventory and, with a program, drift against it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeStack } from "../check/analyze";
import { defaultPolicyConfigFile, packageRoot, reportBase } from "../check/check";
import { CheckInputError } from "../check/errors";
import { startPack, type PackIdentity, type RunningPack } from "../check/pack-host";
import { readPolicyConfigFile, type PolicyConfigValue } from "../check/policy-config";
import { runProgram } from "../check/program-runner";
import { loadProject } from "../check/project";
import { summarizeViolations } from "../check/report-output";
import { Redactor } from "../check/secrets";
import { readStackFile } from "../check/stack-config";
import type { CheckResult } from "../check/types";
import { readCredentials, type AuditCredentials } from "./credentials";
import { findDrift, type DriftEntry } from "./drift";
import { buildInventory, type InventoryEntry } from "./inventory";
import { ManagementReader, type LiveTenant, type ReadOptions, type ReadStats } from "./management-reader";
import { toLiveStack, type Excluded, type LiveStack } from "./resources";

export interface AuditOptions {
    /** Policy pack directory; default: this package's own `policy/`. */
    policyPack?: string;
    /** Policy config file; default: `<dir>/Pulumi.<stack>.policy.json` when --dir is given and it exists, else none. */
    policyConfig?: string;
    /** Program directory to compare the tenant with (drift); needs `stack`. */
    dir?: string;
    stack?: string;
    organization?: string;
    env?: NodeJS.ProcessEnv;
    read?: ReadOptions;
}

interface AuditDetails {
    tenant: string;
    reads: ReadStats;
    excluded: Excluded[];
    inventory: InventoryEntry[];
    /** Null when no program was given. */
    drift: { project: string; stack: string; entries: DriftEntry[] } | null;
}

export type AuditResult = CheckResult & { audit: AuditDetails };

/** Keys whose values the API returns but the audit never maps; their values are redacted wherever they might show. */
const SECRET_KEY = /secret|password|private|passphrase|^pem$|^cert$|key$/i;

function secretStrings(value: unknown, under = false, out: string[] = []): string[] {
    if (typeof value === "string") {
        if (under) out.push(value);
    } else if (Array.isArray(value)) {
        for (const v of value) secretStrings(v, under, out);
    } else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) secretStrings(v, under || SECRET_KEY.test(k), out);
    }
    return out;
}

function credentialValues(creds: AuditCredentials): string[] {
    return creds.auth.kind === "token" ? [creds.auth.token] : [creds.auth.clientSecret];
}

async function programResources(dir: string, stack: string, organization: string) {
    const project = loadProject(path.resolve(dir));
    const stackConfig = readStackFile(project, stack);
    const run = await runProgram({
        programDir: project.dir,
        main: project.main,
        project: project.name,
        stack,
        organization,
        config: stackConfig.entries,
    });
    return { project: project.name, stack, resources: run.resources };
}

type ProgramResources = Awaited<ReturnType<typeof programResources>>;

/** What the audit settled on before reading anything: credentials, pack, policy config, organization. */
interface AuditSetup {
    opts: AuditOptions;
    t0: number;
    creds: AuditCredentials;
    packDir: string;
    /** The default policy config file looked for (whether or not it exists). */
    lookedFor: string | undefined;
    configFile: string | undefined;
    policyConfig: Record<string, PolicyConfigValue>;
    organization: string;
}

/** Milliseconds since the audit started, filled in as each parallel step finishes. */
interface StepTimings {
    packReadyMs: number;
    programMs: number;
}

function setUpAudit(opts: AuditOptions, t0: number): AuditSetup {
    const creds = readCredentials(opts.env ?? process.env);
    if (opts.dir !== undefined && opts.stack === undefined) {
        throw new CheckInputError(
            "--dir needs --stack",
            opts.dir,
            "name the stack whose Pulumi.<stack>.yaml the tenant is compared with",
        );
    }
    const packDir = path.resolve(opts.policyPack ?? path.join(packageRoot(), "policy"));
    const lookedFor =
        !opts.policyConfig && opts.dir && opts.stack
            ? defaultPolicyConfigFile(path.resolve(opts.dir), opts.stack)
            : undefined;
    const configFile = opts.policyConfig
        ? path.resolve(opts.policyConfig)
        : lookedFor && fs.existsSync(lookedFor)
          ? lookedFor
          : undefined;
    const policyConfig: Record<string, PolicyConfigValue> = configFile ? readPolicyConfigFile(configFile) : {};
    const organization = opts.organization ?? "organization";
    return { opts, t0, creds, packDir, lookedFor, configFile, policyConfig, organization };
}

function packIdentity(setup: AuditSetup, stack: string, config: PackIdentity["config"]): PackIdentity {
    return { project: "auth0-tenant", stack, organization: setup.organization, config, tags: {} };
}

/** The live read, the pack's load and the program run, side by side (they are independent). */
async function readTenantWhilePackLoads(setup: AuditSetup, timings: StepTimings) {
    const { opts, t0, creds } = setup;
    const reader = new ManagementReader(creds, opts.read);
    // The pack is launched once the credentials worked (the first answer came back), and loads while the rest of
    // the tenant is read. A failed read ends the audit at once (exit 2) and stops the pack, started or not.
    let packStart: Promise<RunningPack> | undefined;
    const cancelPack = new AbortController();
    const launch = () => {
        packStart = startPack(
            setup.packDir,
            packIdentity(setup, creds.domain, [{ key: "auth0:domain", value: creds.domain, secret: false }]),
            undefined,
            cancelPack.signal,
        ).finally(() => (timings.packReadyMs = Date.now() - t0));
        packStart.catch(() => undefined); // handled below; never an unhandled rejection while the read is pending
    };
    const reading = reader.read(launch);
    reading.catch(() => {
        // A pack still starting is killed at once; one already up is closed.
        cancelPack.abort();
        return packStart?.then(
            (p) => p.close(),
            () => undefined,
        );
    });
    const [liveRead, pack, program] = await Promise.allSettled([
        reading,
        reading.then(() => packStart ?? Promise.reject(new Error("the policy pack was not launched"))),
        opts.dir && opts.stack
            ? programResources(opts.dir, opts.stack, setup.organization).finally(
                  () => (timings.programMs = Date.now() - t0),
              )
            : Promise.resolve(undefined),
    ]);
    return { liveRead, pack, program };
}

export async function runAudit(opts: AuditOptions = {}): Promise<AuditResult> {
    const t0 = Date.now();
    const setup = setUpAudit(opts, t0);
    const timings: StepTimings = { packReadyMs: 0, programMs: 0 };
    const { liveRead, pack, program } = await readTenantWhilePackLoads(setup, timings);
    const running: RunningPack | undefined = pack.status === "fulfilled" ? pack.value : undefined;
    try {
        if (liveRead.status === "rejected") throw liveRead.reason;
        if (pack.status === "rejected") throw pack.reason;
        if (program.status === "rejected") throw program.reason;
        return await judgeTenant(setup, timings, liveRead.value, pack.value, program.value);
    } finally {
        running?.close();
    }
}

async function analyzeTenant(setup: AuditSetup, pack: RunningPack, who: PackIdentity, stack: LiveStack) {
    const { configFile } = setup;
    try {
        return await analyzeStack(
            pack,
            who,
            stack.resources,
            setup.policyConfig,
            configFile,
            configFile ?? `environment variable AUTH0_DOMAIN (${setup.creds.domain})`,
        );
    } catch (e) {
        if (e instanceof CheckInputError) throw e;
        const detail = (e as Error).message?.split("\n").find((l) => l.trim()) ?? String(e);
        throw new CheckInputError(
            `the policy pack failed while analyzing the tenant: ${detail}`,
            setup.packDir,
            "fix the policy that threw",
        );
    }
}

/** Redacts the credentials, every secret the resources carry and every value the API returned under a secret key. */
function tenantRedactor(creds: AuditCredentials, live: LiveTenant, stack: LiveStack): Redactor {
    return Redactor.fromResources(stack.resources, [
        ...credentialValues(creds),
        ...secretStrings([live.settings, live.resourceServers, live.clients, live.clientGrants, live.connections]),
    ]);
}

function driftAgainst(
    program: ProgramResources | undefined,
    stack: LiveStack,
    redactor: Redactor,
): AuditDetails["drift"] {
    if (!program) return null;
    const entries = findDrift(program.resources, stack).map((d) => ({ ...d, message: redactor.redact(d.message) }));
    return { project: program.project, stack: program.stack, entries };
}

async function judgeTenant(
    setup: AuditSetup,
    timings: StepTimings,
    live: LiveTenant,
    pack: RunningPack,
    program: ProgramResources | undefined,
): Promise<AuditResult> {
    const { opts, creds, configFile, lookedFor } = setup;
    const stack = toLiveStack(live);
    const who = packIdentity(setup, stack.stack, stack.config);
    const base = reportBase(opts.dir ?? process.cwd());
    const rel = (p: string) => path.relative(base, p).split(path.sep).join("/");
    const analyzeStart = Date.now();
    const analysis = await analyzeTenant(setup, pack, who, stack);
    const analyzeMs = Date.now() - analyzeStart;
    const redactor = tenantRedactor(creds, live, stack);
    const violations = analysis.violations.map((v) => ({ ...v, message: redactor.redact(v.message) }));
    const drift = driftAgainst(program, stack, redactor);
    const inventory = buildInventory(live, stack);
    return {
        project: stack.project,
        stack: stack.stack,
        files: {
            stackFile: configFile ? rel(configFile) : `auth0-tenant/${creds.domain}`,
            program: opts.dir ? rel(path.resolve(opts.dir)) : "",
        },
        policyPack: { name: analysis.packName, version: analysis.packVersion, dir: rel(setup.packDir) },
        policies: analysis.policies,
        resources: stack.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name })),
        violations,
        summary: summarizeViolations(violations),
        policyConfig: { file: configFile ? rel(configFile) : null, lookedFor: lookedFor ? rel(lookedFor) : null },
        waivers: analysis.waivers.map((w) => ({ ...w, file: w.file === null ? null : rel(w.file) })),
        remediations: analysis.remediations,
        outputsMode: "live-state",
        organization: setup.organization,
        tags: who.tags,
        timings: {
            programMs: timings.programMs,
            packReadyMs: timings.packReadyMs,
            analyzeMs,
            totalMs: Date.now() - setup.t0,
        },
        audit: {
            tenant: creds.domain,
            reads: live.stats,
            excluded: stack.excluded,
            inventory: inventory.map((e) => ({ ...e, name: redactor.redact(e.name) })),
            drift,
        },
    };
}
