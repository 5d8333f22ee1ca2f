/**
 * Secret handling for reports. Secrets travel to the pack marked as Pulumi secrets (the pack sees plaintext, as
 * under the CLI), so a policy message could quote one. Every string the report prints passes through
 * {@link Redactor.redact}, which replaces any secret value found in the recorded resources.
 */
import type { RecordedResource, WireProperties } from "./types";

/** Pulumi's wire signature for secret values: `{[SIG_KEY]: SECRET_SIG, value}`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const REDACTED = "[secret]";

export function isSecretValue(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function secretValue(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** All leaf strings (and numbers) inside secret values of a property map. */
export function secretLeaves(props: WireProperties): string[] {
    const out: string[] = [];
    const leaves = (v: unknown): void => {
        if (typeof v === "string") {
            out.push(v);
        } else if (typeof v === "number") {
            out.push(String(v));
        } else if (Array.isArray(v)) {
            v.forEach(leaves);
        } else if (typeof v === "object" && v !== null) {
            Object.values(v).forEach(leaves);
        }
    };
    const walk = (v: unknown): void => {
        if (isSecretValue(v)) {
            leaves(v.value);
        } else if (Array.isArray(v)) {
            v.forEach(walk);
        } else if (typeof v === "object" && v !== null) {
            Object.values(v).forEach(walk);
        }
    };
    walk(props);
    return out;
}

export class Redactor {
    private readonly values: string[];

    constructor(values: Iterable<string>) {
        // Longest first so a secret that contains another is replaced whole; very short values would redact noise.
        this.values = [...new Set(values)]
            .filter((v) => v.length >= 4 && v !== REDACTED)
            .sort((a, b) => b.length - a.length);
    }

    static fromResources(resources: RecordedResource[], extra: Iterable<string> = []): Redactor {
        const values: string[] = [...extra];
        for (const r of resources) {
            values.push(...secretLeaves(r.inputs), ...secretLeaves(r.outputs));
        }
        return new Redactor(values);
    }

    redact(text: string): string {
        let out = text;
        for (const v of this.values) {
            if (out.includes(v)) {
                out = out.split(v).join(REDACTED);
            }
        }
        return out;
    }
}
