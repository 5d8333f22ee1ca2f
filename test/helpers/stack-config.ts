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
export function editedStackConfig(stack: string, edit: (config: Record<string, any>) => void): RuntimeConfig {
  const config = structuredClone(readStackFile(stack)) as Record<string, any>;
  edit(config);
  return toRuntimeConfig(config);
}
