/**
 * Drives a running policy pack through the engine's analyzer protocol for one recorded stack and turns its
 * diagnostics into violations.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { loadProtos, type PackIdentity, type RunningPack } from "./pack-host";
import {
    reconcilePolicyConfig,
    type PolicyConfigValue,
    type PolicySchemaInfo,
    type ReconciledConfig,
} from "./policy-config";
import { secretValue } from "./secrets";
import type { EnforcementLevel, PolicyMeta, RecordedResource, Violation, WireProperties } from "./types";

export interface AnalysisOutput {
    packName: string;
    packVersion: string;
    policies: PolicyMeta[];
    config: ReconciledConfig;
    violations: Violation[];
}

/** The message prefix @pulumi/policy uses when a rule read a value that is unknown at preview. */
const UNKNOWN_RE = /^can't run policy '([^']+)' from policy pack '[^']*' during preview: ([\s\S]*)$/;

const LEVELS: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)])) as Record<EnforcementLevel, number>;
const SEVERITIES: Record<number, string> = { 0: "", 1: "low", 2: "medium", 3: "high", 4: "critical" };

function isUnimplemented(e: unknown): boolean {
    return (e as grpcTypes.ServiceError)?.code === 12;
}

/** Provider resources as the engine would describe them: explicit ones from the program, default ones synthesized. */
class Providers {
    private readonly byUrn = new Map<string, RecordedResource>();
    readonly defaults = new Map<string, RecordedResource>();

    constructor(
        resources: RecordedResource[],
        private readonly who: PackIdentity,
    ) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
        }
        for (const r of resources) {
            if (r.custom && !r.provider && !r.type.startsWith("pulumi:providers:")) {
                this.defaultFor(r);
            }
        }
    }

    /** The engine's default provider for a resource's package (`default_<version>`), with the stack's config for it. */
    private defaultFor(r: RecordedResource): RecordedResource {
        const pkg = r.type.split(":")[0]!;
        const name = r.version ? `default_${r.version.replace(/[.+-]/g, "_")}` : "default";
        const urn = `urn:pulumi:${this.who.stack}::${this.who.project}::pulumi:providers:${pkg}::${name}`;
        let p = this.defaults.get(urn);
        if (!p) {
            const inputs: WireProperties = {};
            for (const e of this.who.config) {
                if (e.key.startsWith(`${pkg}:`)) {
                    const key = e.key.slice(pkg.length + 1);
                    inputs[key] = e.secret ? secretValue(e.value) : e.value;
                }
            }
            if (r.version) {
                inputs["version"] = r.version;
            }
            p = {
                urn,
                type: `pulumi:providers:${pkg}`,
                name,
                custom: true,
                parent: "",
                dependencies: [],
                propertyDependencies: {},
                provider: "",
                version: r.version,
                inputs,
                outputs: inputs,
                options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } },
            };
            this.defaults.set(urn, p);
        }
        return p;
    }

    private readonly messages = new Map<string, analyzerPb.AnalyzerProviderResource>();

    /** The provider message for a resource, built once per provider and shared by every request that names it. */
    messageFor(r: RecordedResource): analyzerPb.AnalyzerProviderResource | undefined {
        const p = this.of(r);
        if (!p) {
            return undefined;
        }
        let m = this.messages.get(p.urn);
        if (!m) {
            m = providerMessage(p);
            this.messages.set(p.urn, m);
        }
        return m;
    }

    private of(r: RecordedResource): RecordedResource | undefined {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) {
            return undefined;
        }
        if (r.provider) {
            const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
            return this.byUrn.get(urn);
        }
        return this.defaultFor(r);
    }
}

function struct(props: WireProperties) {
    return loadProtos().struct.Struct.fromJavaScript(props as Record<string, never>);
}

function options(r: RecordedResource): analyzerPb.AnalyzerResourceOptions {
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

function providerMessage(p: RecordedResource): analyzerPb.AnalyzerProviderResource {
    const m = new (loadProtos().analyzer.AnalyzerProviderResource)();
    m.setType(p.type);
    m.setName(p.name);
    m.setUrn(p.urn);
    m.setProperties(struct(p.inputs));
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
            ? { schema: { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>, required: schema.getRequiredList() } }
            : {}),
    };
}

/**
 * Runs the analyzer protocol in the engine's order. `policyConfig` is the parsed config file (or `{}`), `file`
 * names it in errors.
 */
export async function analyzeStack(
    pack: RunningPack,
    who: PackIdentity,
    resources: RecordedResource[],
    policyConfig: Record<string, PolicyConfigValue>,
    policyConfigFile: string,
): Promise<AnalysisOutput> {
    const { analyzer, empty } = loadProtos();

    // Handshake: the engine tries it first and falls back when the pack does not implement it.
    const hs = new analyzer.AnalyzerHandshakeRequest();
    hs.setEngineAddress("");
    hs.setRootDirectory(pack.dir);
    hs.setProgramDirectory(pack.dir);
    await pack.unary("handshake", hs).catch((e) => {
        if (!isUnimplemented(e)) throw e;
    });

    const cs = new analyzer.AnalyzerStackConfigureRequest();
    cs.setStack(who.stack);
    cs.setProject(who.project);
    cs.setOrganization(who.organization);
    cs.setDryRun(true);
    for (const e of who.config) {
        cs.getConfigMap().set(e.key, e.value);
    }
    cs.setConfigSecretKeysList(who.config.filter((e) => e.secret).map((e) => e.key));
    await pack.unary("configureStack", cs).catch((e) => {
        if (!isUnimplemented(e)) throw e;
    });

    const info = await pack.unary<unknown, analyzerPb.AnalyzerInfo>("getAnalyzerInfo", new empty.Empty());
    const infos = info.getPoliciesList();
    const policies = infos.map((p) => policyMeta(p, "advisory"));
    const initial: Record<string, PolicyConfigValue> = {};
    info.getInitialconfigMap().forEach((v, k) => {
        initial[k] = { enforcementLevel: LEVELS[v.getEnforcementlevel()] ?? "advisory", properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown> };
    });
    const config = reconcilePolicyConfig(
        infos.map((p, i) => schemaInfo(p, policies[i]!.enforcementLevel)),
        initial,
        policyConfig,
        policyConfigFile,
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

    const root = resources.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
    const rootUrn = root?.urn ?? `urn:pulumi:${who.stack}::${who.project}::pulumi:pulumi:Stack::${who.project}-${who.stack}`;
    const providers = new Providers(resources, who);
    const all = [...providers.defaults.values(), ...resources];
    // Options and provider are the same in Analyze and AnalyzeStack: build each message once.
    const shared = all.map((r) => ({ options: options(r), provider: providers.messageFor(r) }));

    const diagnostics: Array<{ d: analyzerPb.AnalyzeDiagnostic; urn: string }> = [];
    // Analyze: one call per resource with its inputs. Issued together; gRPC multiplexes them on one connection.
    await Promise.all(
        all.map(async (r, i) => {
            const req = new analyzer.AnalyzeRequest();
            req.setUrn(r.urn);
            req.setType(r.type);
            req.setName(r.name);
            req.setProperties(struct(r.inputs));
            req.setOptions(shared[i]!.options);
            const prov = shared[i]!.provider;
            if (prov) req.setProvider(prov);
            const res = await pack.unary<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>("analyze", req);
            for (const d of res.getDiagnosticsList()) diagnostics.push({ d, urn: d.getUrn() || r.urn });
        }),
    );

    // AnalyzeStack: every resource with its outputs, parent and dependencies. The engine only gets here when no
    // resource was blocked; the check always runs it so one report lists every violation (the verdict is the same).
    const stackReq = new analyzer.AnalyzeStackRequest();
    stackReq.setResourcesList(
        all.map((r, i) => {
            const m = new analyzer.AnalyzerResource();
            m.setUrn(r.urn);
            m.setType(r.type);
            m.setName(r.name);
            m.setProperties(struct(r.outputs));
            m.setOptions(shared[i]!.options);
            const prov = shared[i]!.provider;
            if (prov) m.setProvider(prov);
            m.setParent(r.parent);
            m.setDependenciesList(r.dependencies);
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                if (urns.length === 0) continue;
                const pd = new analyzer.AnalyzerPropertyDependencies();
                pd.setUrnsList(urns);
                m.getPropertydependenciesMap().set(k, pd);
            }
            return m;
        }),
    );
    const stackRes = await pack.unary<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>("analyzeStack", stackReq);
    for (const d of stackRes.getDiagnosticsList()) diagnostics.push({ d, urn: d.getUrn() || rootUrn });

    const meta = new Map(policies.map((p) => [p.name, p]));
    const violations: Violation[] = [];
    for (const { d, urn } of diagnostics) {
        const v = toViolation(d, urn, config, meta);
        if (v) violations.push(v);
    }
    violations.sort((a, b) => a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn) || a.message.localeCompare(b.message));
    return { packName: info.getName(), packVersion: info.getVersion(), policies, config, violations };
}

/**
 * One diagnostic → one violation. The pack reports a rule that read an unknown value as an *advisory*
 * "can't run … during preview" even when the rule is mandatory; offline there is no `pulumi up` to run it later,
 * so for a mandatory (or remediate) rule it becomes a mandatory violation.
 */
export function toViolation(
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
