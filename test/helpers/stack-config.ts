import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** A config map as the Pulumi runtime holds it: scalars as strings, structured values as JSON. */
export type RuntimeConfig = Record<string, string>;

export function toRuntimeConfig(config: Record<string, unknown>): RuntimeConfig {
    return Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
}

/** Reads `Pulumi.<stack>.yaml` from the repo root. */
export function readStackFile(stack: string): Record<string, unknown> {
    const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
    const document = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    return document.config ?? {};
}

export function stackRuntimeConfig(stack: string): RuntimeConfig {
    return toRuntimeConfig(readStackFile(stack));
}

/** A deep copy of a stack's config with `edit` applied, for one-change-at-a-time tests. */
export function editedStackConfig(stack: string, edit: (config: Record<string, unknown>) => void): RuntimeConfig {
    const config = structuredClone(readStackFile(stack));
    edit(config);
    return toRuntimeConfig(config);
}

/** One step into a config value: an object's key or a list's index. */
type ConfigStep = string | number;

function valueAt(config: Record<string, unknown>, path: ConfigStep[]): unknown {
    let value: unknown = config;
    for (const step of path)
        value =
            typeof value === "object" && value !== null ? (value as Record<string, unknown>)[String(step)] : undefined;
    return value;
}

/** The object (or list) at `path` in an edited config, for a test to change in place; throws naming the path when there is none. */
export function configAt(config: Record<string, unknown>, ...path: ConfigStep[]): Record<string, unknown> {
    const value = valueAt(config, path);
    if (typeof value !== "object" || value === null)
        throw new Error(`expected an object at ${path.join(".")} in the stack config`);
    return value as Record<string, unknown>;
}

/** The list at `path` in an edited config; throws naming the path when there is none. */
export function configListAt(config: Record<string, unknown>, ...path: ConfigStep[]): unknown[] {
    const value = valueAt(config, path);
    if (!Array.isArray(value)) throw new Error(`expected a list at ${path.join(".")} in the stack config`);
    return value;
}
