/**
 * Resource references as the engine passes them on. The SDK sends a resource given as an input as a reference
 * `{sig: 5cf8…, urn, id?, packageVersion?}`; neither a bridged provider's Check nor the analyzer asks to keep
 * references, so the engine marshals each as its ID when it has one (a custom resource; the ID is unknown for a
 * resource being created) and as its URN otherwise (a component).
 * Source: pulumi/pulumi sdk/go/common/resource/plugin/rpc.go `MarshalPropertyValue` (`!opts.KeepResources`) and
 * `UnmarshalPropertyValue` (an empty or unknown `id` is an unknown ID); analyzer_plugin.go marshals for Analyze
 * and AnalyzeStack without KeepResources.
 */
import { UNKNOWN, isPlainObject, isResourceReference, isSecret, mapSecret } from "./wire";

export function withoutResourceReferences<T>(value: T): T {
    return rewrite(value) as T;
}

function rewrite(v: unknown): unknown {
    if (isResourceReference(v)) {
        if ("id" in v && v.id !== undefined) {
            return v.id === "" || v.id === null ? UNKNOWN : v.id;
        }
        return v.urn;
    }
    if (isSecret(v)) {
        return mapSecret(v, rewrite);
    }
    if (Array.isArray(v)) {
        return v.map(rewrite);
    }
    if (isPlainObject(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, rewrite(e)]));
    }
    return v;
}
