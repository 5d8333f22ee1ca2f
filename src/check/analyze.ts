/**
 * Drives a running policy pack through the engine's analyzer protocol for one recorded stack and turns its
 * diagnostics into violations, in the order and with the messages a `pulumi preview --policy-pack` sends
 * (pkg/resource/deploy/step_generator.go GenerateSteps and AnalyzeResources; pkg/resource/plugin/analyzer_plugin.go).
 */
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import {
    analyzeRequestBytes,
    analyzerResourceBytes,
    analyzeStackRequestBytes,
    optionsAndProvider,
} from "./analyzer-requests";
import { forEachArriving } from "./bounded-pool";
import { remediatedOutputs, toAnalyzerProperties } from "./engine-wire";
import { loadProtos, type PackIdentity, type RunningPack } from "./pack-host";
import {
    reconcilePolicyConfig,
    type PolicyConfigValue,
    type PolicySchemaInfo,
    type ReconciledConfig,
} from "./policy-config";
import { Providers, withProviderVersion } from "./providers";
import { ResourceFeed } from "./resource-feed";
import type {
    EnforcementLevel,
    PolicyMeta,
    RecordedResource,
    Remediation,
    Violation,
    Waiver,
    WireProperties,
} from "./types";

export interface AnalysisOutput {
    packName: string;
    packVersion: string;
    policies: PolicyMeta[];
    config: ReconciledConfig;
    violations: Violation[];
    remediations: Remediation[];
    /** Policies whose configured level is below the level the pack declares for them. */
    waivers: Waiver[];
}

/** The message prefix @pulumi/policy uses when a rule or remediation read a value that is unknown at preview. */
const UNKNOWN_RE = /^can't run (?:policy|remediation) '([^']+)' from policy pack '[^']*' during preview: ([\s\S]*)$/;

const LEVELS: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)])) as Record<
    EnforcementLevel,
    number
>;
const SEVERITIES: Record<number, string> = { 0: "", 1: "low", 2: "medium", 3: "high", 4: "critical" };
/** How strongly a level blocks: remediate fixes and then validates as mandatory. */
const LEVEL_RANK: Record<EnforcementLevel, number> = { disabled: 0, advisory: 1, mandatory: 2, remediate: 2 };

function isUnimplemented(e: unknown): boolean {
    return (e as { code?: number })?.code === 12;
}

function struct(props: WireProperties) {
    return loadProtos().struct.Struct.fromJavaScript(props as Record<string, never>);
}

/** A resource's options as the engine marshals them for the analyzer. */
export function resourceOptionsMessage(r: RecordedResource): analyzerPb.AnalyzerResourceOptions {
    const { analyzer } = loadProtos();
    const o = new analyzer.AnalyzerResourceOptions();
    o.setProtect(r.options.protect);
    o.setIgnorechangesList(r.options.ignoreChanges);
    if (r.options.deleteBeforeReplace !== undefined) {
        o.setDeletebeforereplace(r.options.deleteBeforeReplace);
        o.setDeletebeforereplacedefined(true);
    }
    o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
    o.setAliasesList(r.options.aliases);
    const t = new analyzer.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(r.options.customTimeouts.create);
    t.setUpdate(r.options.customTimeouts.update);
    t.setDelete(r.options.customTimeouts.delete);
    o.setCustomtimeouts(t);
    o.setParent(r.parent);
    return o;
}

/** analyzer_plugin.go marshalProvider: type, name, URN and the provider's inputs (internal keys skipped). */
function providerMessage(p: RecordedResource): analyzerPb.AnalyzerProviderResource {
    const m = new (loadProtos().analyzer.AnalyzerProviderResource)();
    m.setType(p.type);
    m.setName(p.name);
    m.setUrn(p.urn);
    m.setProperties(struct(toAnalyzerProperties(withProviderVersion(p, p.inputs), true)));
    return m;
}

function policyMeta(info: analyzerPb.PolicyInfo, fallbackLevel: EnforcementLevel): PolicyMeta {
    const type = info.getPolicyType();
    return {
        name: info.getName(),
        description: info.getDescription(),
        enforcementLevel: LEVELS[info.getEnforcementlevel()] ?? fallbackLevel,
        severity: SEVERITIES[info.getSeverity()] ?? "",
        remediation: info.getRemediationSteps(),
        url: info.getUrl(),
        kind: type === 1 ? "resource" : type === 2 ? "stack" : "unknown",
    };
}

function schemaInfo(info: analyzerPb.PolicyInfo, level: EnforcementLevel): PolicySchemaInfo {
    const schema = info.getConfigschema();
    return {
        name: info.getName(),
        enforcementLevel: level,
        ...(schema
            ? {
                  schema: {
                      properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                      required: schema.getRequiredList(),
                  },
              }
            : {}),
    };
}

/** Every policy the configuration runs below the level the pack declares for it, and what lowered it. */
function findWaivers(
    policies: PolicyMeta[],
    config: ReconciledConfig,
    given: Record<string, PolicyConfigValue>,
    file: string | undefined,
): Waiver[] {
    const waivers: Waiver[] = [];
    for (const p of policies) {
        const configured = config[p.name]?.enforcementLevel ?? p.enforcementLevel;
        if (LEVEL_RANK[configured] >= LEVEL_RANK[p.enforcementLevel]) continue;
        const key =
            given[p.name]?.enforcementLevel !== undefined
                ? p.name
                : given["all"]?.enforcementLevel !== undefined
                  ? "all"
                  : undefined;
        waivers.push({
            policy: p.name,
            declaredLevel: p.enforcementLevel,
            configuredLevel: configured,
            ...(key !== undefined && file ? { file, key } : { file: null, key: "initialConfig" }),
        });
    }
    return waivers;
}

/** A resource as its analyzer calls describe it. */
interface Subject {
    r: RecordedResource;
    inputs: WireProperties;
    outputs: WireProperties;
    /** Options and provider fields, the same in every call for the resource (analyzer-requests.ts). */
    tail: Buffer;
    /** What each Remediate call changed, in order: replayed on outputs the program registers later. */
    remediated: Array<{ before: WireProperties; after: WireProperties }>;
}

/**
 * How many resources are between their first call and their last at once. The engine's own concurrency follows the
 * program's registrations; any window keeps each resource's Remediate-then-Analyze order. A bounded one builds each
 * request just before it is sent, so the pack starts working at once and neither side holds thousands of messages.
 */
const IN_FLIGHT = 64;

/**
 * Runs the analyzer protocol in the engine's order. `resources` is the program's resources, or a {@link ResourceFeed}
 * of them while the program still runs (each is analyzed as it arrives, as the engine does).
 * `policyConfig` is the parsed config file (or `{}`), `policyConfigFile` names it (undefined when there is none),
 * `stackFile` is where stack-level errors point.
 */
export async function analyzeStack(
    pack: RunningPack,
    who: PackIdentity,
    resources: RecordedResource[] | ResourceFeed,
    policyConfig: Record<string, PolicyConfigValue>,
    policyConfigFile: string | undefined,
    stackFile: string,
): Promise<AnalysisOutput> {
    // Known resources: default providers first, so a barred one fails the preview before any policy runs.
    const known = Array.isArray(resources);
    const providers = new Providers(known ? resources : [], who, stackFile);
    const feed = known ? ResourceFeed.of(resources) : resources;
    await configureStack(pack, who);
    const info = await pack.unary<unknown, analyzerPb.AnalyzerInfo>(
        "getAnalyzerInfo",
        new (loadProtos().empty.Empty)(),
    );
    const { policies, config } = await configurePolicies(pack, info, policyConfig, policyConfigFile);

    const found: Found = { diagnostics: [], remediations: [] };
    const analyzed = await analyzeResources(
        pack,
        arrivals(feed, providers, known),
        subjectBuilder(providers),
        config,
        found,
    );
    const stack = stackParts(analyzed, feed.final());
    await analyzeStackPolicies(pack, who, stack.all, stack.parts, found.diagnostics);

    const meta = new Map(policies.map((p) => [p.name, p]));
    const violations: Violation[] = [];
    for (const { d, urn } of found.diagnostics) {
        const v = toViolation(d, urn, config, meta);
        if (v) violations.push(v);
    }
    violations.sort(
        (a, b) => a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn) || a.message.localeCompare(b.message),
    );
    const remediations = found.remediations.sort(
        (a, b) => a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn),
    );
    return {
        packName: info.getName(),
        packVersion: info.getVersion(),
        policies,
        config,
        violations,
        remediations,
        waivers: findWaivers(policies, config, policyConfig, policyConfigFile),
    };
}

/** A resource in the order the engine analyzes it, and its index in the program's resources (none: a default provider). */
interface Arrival {
    resource: RecordedResource;
    index?: number;
}

/**
 * The feed's resources in analysis order. Known resources: every default provider first (the order the check has
 * always used). A running program: each default provider just before its first user, where the engine registers it.
 */
function arrivals(feed: ResourceFeed, providers: Providers, known: boolean): () => Promise<Arrival | undefined> {
    const queue: Arrival[] = known ? [...providers.defaults.values()].map((resource) => ({ resource })) : [];
    return async () => {
        const queued = queue.shift();
        if (queued) return queued;
        const next = await feed.next();
        if (!next) return undefined;
        if (!known) {
            const provider = providers.add(next.resource);
            if (provider) {
                queue.push(next);
                return { resource: provider };
            }
        }
        return next;
    };
}

/** A resource's part of the AnalyzeStack request, built once its Analyze answered. */
interface Analyzed {
    subject: Subject;
    index?: number;
    part: Buffer;
}

/**
 * Every analyzed resource with its AnalyzeStack part, in analysis order. A resource whose outputs the program
 * registered after it was analyzed (a component's registerOutputs) gets its final outputs, remediated the same way.
 */
function stackParts(analyzed: Analyzed[], final: ReturnType<ResourceFeed["final"]>) {
    const all: RecordedResource[] = [];
    const parts: Buffer[] = [];
    for (const { subject, index, part } of analyzed) {
        const latest = index !== undefined && final.outputsChanged.has(index) ? final.resources[index] : undefined;
        if (latest) {
            let outputs = withProviderVersion(latest, latest.outputs);
            for (const step of subject.remediated) outputs = remediatedOutputs(step.before, step.after, outputs);
            all.push(latest);
            parts.push(analyzerResourceBytes(latest, toAnalyzerProperties(outputs, true), subject.tail));
        } else {
            all.push(subject.r);
            parts.push(part);
        }
    }
    return { all, parts };
}

/** What the analyzer calls reported, in the order they answered. */
interface Found {
    diagnostics: Array<{ d: analyzerPb.AnalyzeDiagnostic; urn: string }>;
    remediations: Remediation[];
}

/**
 * ConfigureStack reaches the pack first, forwarded by the Node.js language host's policy proxy as soon as the
 * pack printed its port (sdk/policy_proxy.go Attach); the proxy answers Handshake itself.
 */
async function configureStack(pack: RunningPack, who: PackIdentity): Promise<void> {
    const cs = new (loadProtos().analyzer.AnalyzerStackConfigureRequest)();
    cs.setStack(who.stack);
    cs.setProject(who.project);
    cs.setOrganization(who.organization);
    cs.setDryRun(true);
    for (const e of who.config) {
        cs.getConfigMap().set(e.key, e.value);
    }
    cs.setConfigSecretKeysList(who.config.filter((e) => e.secret).map((e) => e.key));
    for (const [k, v] of Object.entries(who.tags)) {
        cs.getTagsMap().set(k, v);
    }
    await pack.unary("configureStack", cs).catch((e) => {
        if (!isUnimplemented(e)) throw e;
    });
}

/** The pack's policies and their configuration reconciled with the config file, sent to the pack when there is any. */
async function configurePolicies(
    pack: RunningPack,
    info: analyzerPb.AnalyzerInfo,
    policyConfig: Record<string, PolicyConfigValue>,
    policyConfigFile: string | undefined,
): Promise<{ policies: PolicyMeta[]; config: ReconciledConfig }> {
    const { analyzer } = loadProtos();
    const infos = info.getPoliciesList();
    const policies = infos.map((p) => policyMeta(p, "advisory"));
    const initial: Record<string, PolicyConfigValue> = {};
    info.getInitialconfigMap().forEach((v, k) => {
        initial[k] = {
            enforcementLevel: LEVELS[v.getEnforcementlevel()] ?? "advisory",
            properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        };
    });
    const config = reconcilePolicyConfig(
        infos.map((p, i) => schemaInfo(p, policies[i].enforcementLevel)),
        initial,
        policyConfig,
        policyConfigFile ?? "(no policy config file)",
    );
    if (Object.keys(config).length > 0) {
        const req = new analyzer.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(config)) {
            const pc = new analyzer.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_CODES[c.enforcementLevel] as analyzerPb.EnforcementLevel);
            pc.setProperties(struct(c.properties));
            req.getPolicyconfigMap().set(name, pc);
        }
        await pack.unary("configure", req);
    }
    return { policies, config };
}

/** A resource's analyzer subject; a provider's message is the same in every call that names it, so it is serialized once. */
function subjectBuilder(providers: Providers): (r: RecordedResource) => Subject {
    const providerBytes = new Map<string, Buffer>();
    return (r) => {
        const p = providers.of(r);
        let provider: Buffer | undefined;
        if (p) {
            provider = providerBytes.get(p.urn) ?? Buffer.from(providerMessage(p).serializeBinary());
            providerBytes.set(p.urn, provider);
        }
        return {
            r,
            inputs: withProviderVersion(r, r.inputs),
            outputs: withProviderVersion(r, r.outputs),
            tail: optionsAndProvider(resourceOptionsMessage(r), provider),
            remediated: [],
        };
    };
}

/**
 * Per resource: Remediate, then Analyze on the remediated inputs (step_generator.go GenerateSteps: "First
 * pass: perform remediations … Second pass: perform analysis"). Resources overlap within a window; gRPC
 * multiplexes them on one connection. Returns each resource with its part of the AnalyzeStack request, in the
 * order they arrived.
 */
async function analyzeResources(
    pack: RunningPack,
    next: () => Promise<Arrival | undefined>,
    subjectOf: (r: RecordedResource) => Subject,
    config: ReconciledConfig,
    found: Found,
): Promise<Analyzed[]> {
    // The pack only runs remediations of policies at level `remediate` (@pulumi/policy server.js
    // makeRemediateRpcFun); with none, every Remediate call answers nothing, so it is not sent.
    const remediating = Object.values(config).some((c) => c.enforcementLevel === "remediate");
    const analyzed: Analyzed[] = [];
    await forEachArriving(next, IN_FLIGHT, async ({ resource, index }) => {
        const slot = analyzed.length;
        const s = subjectOf(resource);
        analyzed.push({ subject: s, ...(index !== undefined ? { index } : {}), part: Buffer.alloc(0) });
        if (remediating) await remediate(pack, s, found);
        const res = await pack.unaryBytes<analyzerPb.AnalyzeResponse>(
            "analyze",
            analyzeRequestBytes(s.r, toAnalyzerProperties(s.inputs, true), s.tail),
        );
        // analyze_snapshot.go analyzeResource: every diagnostic is the analyzed resource's, whatever URN it names.
        for (const d of res.getDiagnosticsList()) found.diagnostics.push({ d, urn: s.r.urn });
        // The resource's outputs are known now: its part of AnalyzeStack is built while other resources are analyzed.
        const entry = analyzed[slot];
        if (entry) entry.part = analyzerResourceBytes(s.r, toAnalyzerProperties(s.outputs, true), s.tail);
    });
    return analyzed;
}

/** One resource's Remediate call: updates the subject's inputs and outputs with what the pack changed. */
async function remediate(pack: RunningPack, s: Subject, found: Found): Promise<void> {
    const { analyzer } = loadProtos();
    // Remediate keeps internal keys (SkipInternalKeys: false); a pack without it remediates nothing.
    const res = await pack
        .unaryBytes<analyzerPb.RemediateResponse>(
            "remediate",
            analyzeRequestBytes(s.r, toAnalyzerProperties(s.inputs, false), s.tail),
        )
        .catch((e) => {
            if (isUnimplemented(e)) return new analyzer.RemediateResponse();
            throw e;
        });
    for (const t of res.getRemediationsList()) {
        const remediated = t.getProperties();
        if (t.getDiagnostic() !== "") {
            // Reported as an advisory violation of the resource.
            const d = new analyzer.AnalyzeDiagnostic();
            d.setPolicyname(t.getPolicyname());
            d.setPolicypackname(t.getPolicypackname());
            d.setPolicypackversion(t.getPolicypackversion());
            d.setDescription(t.getDescription());
            d.setMessage(t.getDiagnostic());
            d.setEnforcementlevel(analyzer.EnforcementLevel.ADVISORY);
            d.setUrn(s.r.urn);
            found.diagnostics.push({ d, urn: s.r.urn });
        } else if (remediated) {
            const after = remediated.toJavaScript() as WireProperties;
            found.remediations.push({
                policy: t.getPolicyname(),
                urn: s.r.urn,
                changed: [...new Set([...Object.keys(s.inputs), ...Object.keys(after)])]
                    .filter((k) => JSON.stringify(s.inputs[k]) !== JSON.stringify(after[k]))
                    .sort(),
            });
            s.remediated.push({ before: s.inputs, after });
            s.outputs = remediatedOutputs(s.inputs, after, s.outputs);
            s.inputs = after;
        }
    }
}

/**
 * AnalyzeStack: every resource with its outputs, parent and dependencies. The engine only gets here when no
 * resource was blocked; the check always runs it so one report lists every violation (the verdict is the same).
 * A pack that does not implement AnalyzeStack has no stack policies: the engine skips it (AnalyzeStack).
 */
async function analyzeStackPolicies(
    pack: RunningPack,
    who: PackIdentity,
    all: RecordedResource[],
    stackResources: Buffer[],
    diagnostics: Found["diagnostics"],
): Promise<void> {
    const stackRes = await pack
        .unaryBytes<analyzerPb.AnalyzeResponse>("analyzeStack", analyzeStackRequestBytes(stackResources))
        .catch((e) => {
            if (isUnimplemented(e)) return new (loadProtos().analyzer.AnalyzeResponse)();
            throw e;
        });
    // resolveStackPolicyViolationURN: the diagnostic's URN when it names a resource of the stack, else the root
    // stack's default URN (resource.DefaultRootStackURN).
    const inStack = new Set(all.map((r) => r.urn));
    const rootUrn = `urn:pulumi:${who.stack}::${who.project}::pulumi:pulumi:Stack::${who.project}-${who.stack}`;
    for (const d of stackRes.getDiagnosticsList())
        diagnostics.push({ d, urn: inStack.has(d.getUrn()) ? d.getUrn() : rootUrn });
}

/**
 * One diagnostic → one violation. The pack reports a rule that read an unknown value as an *advisory*
 * "can't run … during preview" even when the rule is mandatory; offline there is no `pulumi up` to run it later,
 * so for a mandatory (or remediate) rule it becomes a mandatory violation.
 */
function toViolation(
    d: analyzerPb.AnalyzeDiagnostic,
    urn: string,
    config: ReconciledConfig,
    meta: Map<string, PolicyMeta>,
): Violation | undefined {
    const reported = LEVELS[d.getEnforcementlevel()] ?? "advisory";
    if (reported === "disabled") return undefined;
    const policy = d.getPolicyname();
    const configured = config[policy]?.enforcementLevel ?? meta.get(policy)?.enforcementLevel ?? reported;
    const unknown = UNKNOWN_RE.exec(d.getMessage());
    let level: "mandatory" | "advisory" = reported === "advisory" ? "advisory" : "mandatory";
    let message = d.getMessage();
    if (unknown) {
        if (configured === "mandatory" || configured === "remediate") level = "mandatory";
        message =
            `${unknown[2]}; the rule cannot decide on an unknown value` +
            (level === "mandatory" ? ", and a mandatory rule never passes silently offline" : "");
    }
    return {
        policy,
        policyPack: d.getPolicypackname(),
        enforcementLevel: level,
        severity: SEVERITIES[d.getSeverity()] || meta.get(policy)?.severity || "unspecified",
        urn,
        message,
        unknownValue: Boolean(unknown),
    };
}
