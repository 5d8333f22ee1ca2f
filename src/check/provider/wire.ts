/**
 * Pulumi's wire encoding of special property values (as `Struct.toJavaScript()` yields them), shared by the provider
 * Check emulation, the planned outputs and the resource-reference rewriting.
 * Source: @pulumi/pulumi runtime/rpc.ts (`unknownValue`, `specialSigKey`, `specialSecretSig`, `specialResourceSig`).
 */
import { SECRET_SIG, SIG_KEY, secretValue } from "../secrets";

/** The wire sentinel for a value that is unknown at preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

export type Plain = Record<string, unknown>;

export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN;
}

export function isPlainObject(v: unknown): v is Plain {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isSecret(v: unknown): v is { value: unknown } {
    return isPlainObject(v) && v[SIG_KEY] === SECRET_SIG;
}

export function isResourceReference(v: unknown): v is { urn: unknown; id?: unknown } {
    return isPlainObject(v) && v[SIG_KEY] === RESOURCE_SIG;
}

/** Any other signed value (asset, archive, output value): passed through untouched. */
export function isSigned(v: unknown): boolean {
    return isPlainObject(v) && SIG_KEY in v;
}

/** Applies `f` under a secret wrapper, keeping the wrapper. */
export function mapSecret(v: unknown, f: (inner: unknown) => unknown): unknown {
    return isSecret(v) ? secretValue(f(v.value)) : f(v);
}

export function unwrapSecret(v: unknown): unknown {
    return isSecret(v) ? v.value : v;
}
