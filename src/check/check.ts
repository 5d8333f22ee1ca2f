/**
 * The offline check: stack config → program under mocks ∥ policy pack launch → analyzer protocol → result.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { AnalysisOutput } from "./analyze";
import { CheckInputError } from "./errors";
import { startPack, type PackIdentity, type RunningPack } from "./pack-host";
import type { PolicyConfigValue } from "./policy-config";
import { readInvokeResultsFile } from "./program/invoke-results";
import { readPriorStateFile } from "./provider/prior-state";
import { runProgram } from "./program-runner";
import { loadProject, type ProjectFile } from "./project";
import { libraryDirsFor, locateResources } from "./resource-locations";
import { summarizeViolations } from "./report-output";
import { Redactor } from "./secrets";
import { FeedRestarted, ResourceFeed } from "./resource-feed";
import { readStackFile, type StackFile } from "./stack-config";
import { environmentTags } from "./stack-tags";
import type { CheckResult, RecordedResource } from "./types";

interface CheckOptions {
    dir: string;
    stack: string;
    /** Policy pack directory; default: this package's own `policy/`. */
    policyPack?: string;
    /** Policy config file; default: {@link defaultPolicyConfigFile} when it exists, else none. */
    policyConfig?: string;
    /** Use no policy config at all (not even {@link defaultPolicyConfigFile}): the pack's declared levels. */
    noPolicyConfig?: boolean;
    /** Organization sent to the pack; default `organization`, what the CLI sends for a DIY (file/S3) backend. */
    organization?: string;
    /** Stack tags added to (and overriding) the ones derived from the project (see stack-tags.ts). */
    tags?: Record<string, string>;
    /** `--invoke-results` file: canned results for the program's invokes (src/check/program/invoke-results.ts). */
    invokeResults?: string;
    /** `--state` file (`pulumi stack export`): its resources are previewed as updates (provider/prior-state.ts). */
    state?: string;
    /** Told what the check is doing when a phase starts (the CLI's progress line). */
    onPhase?: (text: string) => void;
}

/**
 * Where a stack's policy config is found when `--policy-config` is not given: `Pulumi.<stack>.policy.json` next to
 * the stack's `Pulumi.<stack>.yaml` (in Pulumi.yaml's `stackConfigDir` when set), so each program carries its own.
 * Never the pack's own directory: a pack's example configs (this package's policy/config/*.json allowlist example
 * values) must not judge a consumer's stack.
 */
export function defaultPolicyConfigFile(stackConfigDir: string, stack: string): string {
    return path.join(stackConfigDir, `Pulumi.${stack}.policy.json`);
}

/** This package's root (the directory whose package.json is auth0-mcp's), from src/check or dist/src/check. */
export function packageRoot(): string {
    let dir = __dirname;
    for (;;) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "auth0-mcp") {
            return dir;
        }
        const up = path.dirname(dir);
        if (up === dir) {
            throw new Error(`cannot find the auth0-mcp package root above ${__dirname}`);
        }
        dir = up;
    }
}

/** The directory report paths are relative to: the enclosing git work tree, else the current directory. */
export function reportBase(from: string): string {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, ".git"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            return process.cwd();
        }
    }
}

export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
    const t0 = Date.now();
    const since = () => Date.now() - t0;
    const dir = path.resolve(opts.dir);
    const project = loadProject(dir);
    const stackConfig = readStackFile(project, opts.stack);
    const packDir = path.resolve(opts.policyPack ?? path.join(packageRoot(), "policy"));
    const policy = await readPolicyConfigFor(opts, project);
    const who = packIdentity(opts, project, stackConfig);
    const invokeResults = opts.invokeResults ? readInvokeResultsFile(path.resolve(opts.invokeResults)) : undefined;
    const priorState = opts.state ? readPriorStateFile(path.resolve(opts.state), opts.stack, project.name) : undefined;
    // The program run and the pack's launch are independent: run them side by side. Once the pack is up, it analyzes
    // each resource the program registers as it arrives (resource-feed.ts), as the engine does.
    let programMs = 0;
    let packReadyMs = 0;
    const feed = new ResourceFeed();
    // The program's fork comes first: the pack's start loads gRPC and protobuf before it spawns the pack.
    const programRun = runProgram(
        {
            programDir: dir,
            main: project.main,
            project: project.name,
            stack: opts.stack,
            organization: who.organization,
            config: stackConfig.entries,
            projectFile: project.file,
            ...(invokeResults ? { invokeResults } : {}),
            ...(priorState ? { priorState } : {}),
        },
        undefined,
        feed,
    )
        .then(
            (run) => {
                feed.end(run.resources, new Set(run.outputsChanged ?? []));
                return run;
            },
            (e: unknown) => {
                feed.fail(e);
                throw e;
            },
        )
        .finally(() => (programMs = since()));
    const starting = startPack(packDir, who).finally(() => (packReadyMs = since()));
    const analyzing = starting.then((pack) => analyzeWithPack(pack, who, feed, policy, stackConfig.file, packDir));
    analyzing.catch(() => undefined); // settled below, or superseded by the program's or the pack's own failure
    const [program, pack] = await Promise.allSettled([programRun, starting]);
    const running: RunningPack | undefined = pack.status === "fulfilled" ? pack.value : undefined;
    let fresh: RunningPack | undefined;
    try {
        if (program.status === "rejected") throw program.reason;
        if (pack.status === "rejected") throw pack.reason;
        const resources = program.value.resources;
        opts.onPhase?.(
            `analyzing ${resources.length} resource${resources.length === 1 ? "" : "s"} with ${path.relative(process.cwd(), packDir) || "."}…`,
        );
        const analyzeStart = Date.now();
        const analysis = await analyzing.catch(async (e: unknown) => {
            if (!(e instanceof FeedRestarted)) throw e;
            // The program ran again after the pack had analyzed part of its first run: a fresh pack judges the rerun.
            pack.value.close();
            fresh = await startPack(packDir, who);
            return analyzeWithPack(fresh, who, resources, policy, stackConfig.file, packDir);
        });
        const analyzeMs = Date.now() - analyzeStart;
        return {
            ...describeRun({
                dir,
                project,
                stack: opts.stack,
                stackFile: stackConfig.file,
                packDir,
                policy,
                resources,
                analysis,
            }),
            outputsMode: priorState ? "planned-update" : "planned-create",
            organization: who.organization,
            tags: who.tags,
            timings: { programMs, packReadyMs, analyzeMs, totalMs: since() },
        };
    } finally {
        running?.close();
        fresh?.close();
    }
}

/** What the pack is told about the stack: ConfigureStack's project, stack, organization, config and tags. */
function packIdentity(opts: CheckOptions, project: ProjectFile, stackConfig: StackFile): PackIdentity {
    return {
        project: project.name,
        stack: opts.stack,
        organization: opts.organization ?? "organization",
        config: stackConfig.entries,
        tags: { ...environmentTags(project, stackConfig.entries, stackConfig.file), ...(opts.tags ?? {}) },
    };
}

/** The policy config file judged with (given, else the stack's default when it exists) and its contents. */
interface PolicyConfigChoice {
    lookedFor: string | undefined;
    configFile: string | undefined;
    policyConfig: Record<string, PolicyConfigValue>;
}

async function readPolicyConfigFor(opts: CheckOptions, project: ProjectFile): Promise<PolicyConfigChoice> {
    const lookedFor =
        opts.policyConfig || opts.noPolicyConfig
            ? undefined
            : defaultPolicyConfigFile(project.stackConfigDir, opts.stack);
    const configFile = opts.policyConfig
        ? path.resolve(opts.policyConfig)
        : lookedFor && fs.existsSync(lookedFor)
          ? lookedFor
          : undefined;
    // The config's validation (ajv) is loaded only for a config file; the analyzer side once the program runs.
    const policyConfig: Record<string, PolicyConfigValue> = configFile
        ? (await import("./policy-config")).readPolicyConfigFile(configFile)
        : {};
    return { lookedFor, configFile, policyConfig };
}

/** The analyzer protocol over the recorded resources; a policy that throws is the pack's input error. */
async function analyzeWithPack(
    running: RunningPack,
    who: PackIdentity,
    resources: RecordedResource[] | ResourceFeed,
    policy: PolicyConfigChoice,
    stackFile: string,
    packDir: string,
): Promise<AnalysisOutput> {
    const { analyzeStack } = await import("./analyze");
    try {
        return await analyzeStack(running, who, resources, policy.policyConfig, policy.configFile, stackFile);
    } catch (e) {
        // The program's own failure (or rerun) reached the analysis through the feed: not the pack's error.
        if (e instanceof CheckInputError || (resources instanceof ResourceFeed && resources.failed(e))) throw e;
        const detail = (e as Error).message?.split("\n").find((l) => l.trim()) ?? String(e);
        throw new CheckInputError(
            `the policy pack failed while analyzing: ${detail}`,
            packDir,
            "fix the policy that threw",
        );
    }
}

/** The result's files, pack, resources, violations and config, with paths relative to the report's base. */
function describeRun(run: {
    dir: string;
    project: ProjectFile;
    stack: string;
    stackFile: string;
    packDir: string;
    policy: PolicyConfigChoice;
    resources: RecordedResource[];
    analysis: AnalysisOutput;
}) {
    const { project, policy, resources, analysis } = run;
    const redactor = Redactor.fromResources(resources);
    const base = reportBase(run.dir);
    const rel = (p: string) => path.relative(base, p).split(path.sep).join("/");
    const locations = locateResources(resources, {
        repoRoot: base,
        libraryDirs: libraryDirsFor(packageRoot(), run.dir),
    });
    const violations = analysis.violations.map((v) => ({ ...v, message: redactor.redact(v.message) }));
    return {
        project: project.name,
        stack: run.stack,
        files: { stackFile: rel(run.stackFile), program: rel(project.main) },
        policyPack: { name: analysis.packName, version: analysis.packVersion, dir: rel(run.packDir) },
        policies: analysis.policies,
        resources: resources.map((r) => {
            const location = locations.get(r.urn);
            return {
                urn: r.urn,
                type: r.type,
                name: r.name,
                ...(r.source ? { source: { uri: rel(r.source.uri), line: r.source.line } } : {}),
                ...(location ? { location } : {}),
                ...(r.plannedOutputs ? { plannedOutputs: r.plannedOutputs } : {}),
                ...(r.plannedOutputsNote ? { plannedOutputsNote: r.plannedOutputsNote } : {}),
            };
        }),
        violations,
        summary: summarizeViolations(violations),
        policyConfig: {
            file: policy.configFile ? rel(policy.configFile) : null,
            lookedFor: policy.lookedFor ? rel(policy.lookedFor) : null,
        },
        waivers: analysis.waivers.map((w) => ({ ...w, file: w.file === null ? null : rel(w.file) })),
        remediations: analysis.remediations,
    };
}
