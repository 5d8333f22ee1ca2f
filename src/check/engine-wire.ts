/**
 * Property maps as the engine marshals them to an analyzer (pkg/resource/plugin/analyzer_plugin.go: Analyze,
 * AnalyzeStack and marshalProvider use MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys: true}; Remediate
 * uses SkipInternalKeys: false). Without KeepResources and KeepOutputValues (sdk/go/common/resource/plugin/rpc.go,
 * MarshalPropertyValue): a resource reference becomes its ID (unknown while the ID is) or, for a component, its URN;
 * an output value becomes its plain value, unknown, or secret. Top-level keys starting with `__` are internal.
 */
import { isSecretValue, secretValue, SIG_KEY } from "./secrets";
import type { WireProperties } from "./types";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** The value as the analyzer sees it; `v` itself (not a copy) when nothing in it changes, which is the common case. */
function downgrade(v: unknown): unknown {
    if (Array.isArray(v)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
            const d = downgrade(v[i]);
            if (d !== v[i] && !out) out = v.slice(0, i);
            if (out) out.push(d);
        }
        return out ?? v;
    }
    if (typeof v !== "object" || v === null) {
        return v;
    }
    const o = v as Record<string, unknown>;
    if (isSecretValue(v)) {
        return secretValue(downgrade(v.value));
    }
    if (o[SIG_KEY] === RESOURCE_REFERENCE_SIG) {
        if ("id" in o) {
            return o["id"] === "" || o["id"] === UNKNOWN || o["id"] === undefined ? UNKNOWN : downgrade(o["id"]);
        }
        return o["urn"];
    }
    if (o[SIG_KEY] === OUTPUT_VALUE_SIG) {
        const inner = "value" in o ? downgrade(o["value"]) : UNKNOWN;
        return o["secret"] === true ? secretValue(inner) : inner;
    }
    const entries = Object.entries(o);
    let changed = false;
    const mapped = entries.map(([k, e]) => {
        const d = downgrade(e);
        if (d !== e) changed = true;
        return [k, d] as const;
    });
    return changed ? Object.fromEntries(mapped) : o;
}

/** `props` as the analyzer receives them. `skipInternalKeys` is true for Analyze, AnalyzeStack and providers. */
export function toAnalyzerProperties(props: WireProperties, skipInternalKeys: boolean): WireProperties {
    const out: WireProperties = {};
    for (const [k, v] of Object.entries(props)) {
        if (skipInternalKeys && k.startsWith("__")) {
            continue;
        }
        out[k] = downgrade(v);
    }
    return out;
}

function sameValue(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The planned outputs of a resource whose inputs a remediation changed. The engine replaces the resource's inputs
 * with the remediated ones before the provider plans it (step_generator.go, GenerateSteps: `new.Inputs =
 * tresult.Properties`), so the planned state follows them: changed or added input values replace the planned ones
 * (nested objects merged so the provider's unknowns for unset members stay); an input the remediation removed
 * becomes unknown in the plan, since the provider may compute it (fail-closed: a rule reading it cannot pass).
 */
export function remediatedOutputs(
    before: WireProperties,
    after: WireProperties,
    outputs: WireProperties,
): WireProperties {
    const merge = (b: unknown, a: unknown, o: unknown): unknown => {
        const isObj = (x: unknown): x is Record<string, unknown> =>
            typeof x === "object" && x !== null && !Array.isArray(x) && !isSecretValue(x);
        if (!isObj(a) || !isObj(o) || !isObj(b)) {
            return a;
        }
        const result: Record<string, unknown> = { ...o };
        for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
            if (!(k in a)) {
                result[k] = UNKNOWN;
            } else if (!(k in b) || !sameValue(b[k], a[k])) {
                result[k] = k in o ? merge(b[k], a[k], o[k]) : a[k];
            }
        }
        return result;
    };
    return merge(before, after, outputs) as WireProperties;
}
