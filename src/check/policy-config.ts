/**
 * The CLI's half of policy configuration, done offline: parse the `--policy-pack-config` file, start from each
 * policy's enforcement level and its schema's top-level `default`s, apply the pack's initial config, apply the
 * file (`all` first, then per policy), and validate every policy's properties against its schema. This mirrors
 * the Pulumi CLI's ReconcilePolicyPackConfig; one deliberate difference: a key naming no policy of the pack is an
 * error here (the CLI ignores it, which silently drops a misspelt policy's settings).
 */
import * as fs from "node:fs";
import Ajv, { type ErrorObject } from "ajv";
import { CheckInputError, firstLine } from "./errors";
import { isRecord } from "./project";
import type { EnforcementLevel } from "./types";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyConfigValue {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** What GetAnalyzerInfo says about one policy, as far as configuration is concerned. */
export interface PolicySchemaInfo {
    name: string;
    enforcementLevel: EnforcementLevel;
    schema?: { properties: Record<string, unknown>; required: string[] };
}

export type ReconciledConfig = Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** Parses a policy config file (`{"all": "mandatory", "<policy>": "disabled" | {enforcementLevel?, …props}}`). */
export function readPolicyConfigFile(file: string): Record<string, PolicyConfigValue> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new CheckInputError("the policy config file cannot be read", file, "pass --policy-config with an existing JSON file");
    }
    if (text.trim() === "") {
        return {};
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new CheckInputError(`invalid policy config: not valid JSON: ${firstLine(e)}`, file, "fix the JSON syntax");
    }
    return parsePolicyConfig(doc, file);
}

export function parsePolicyConfig(doc: unknown, file: string): Record<string, PolicyConfigValue> {
    if (!isRecord(doc)) {
        throw new CheckInputError("invalid policy config: the file is not a JSON object", file, 'write {"<policy>": {...}}');
    }
    const out: Record<string, PolicyConfigValue> = {};
    for (const [policy, value] of Object.entries(doc)) {
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new CheckInputError(
                    `invalid policy config: ${policy}: "${value}" is not a valid enforcement level`,
                    file,
                    `use one of ${ENFORCEMENT_LEVELS.join(", ")}`,
                );
            }
            out[policy] = { enforcementLevel: value };
        } else if (isRecord(value)) {
            const { enforcementLevel, ...properties } = value;
            if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
                throw new CheckInputError(
                    `invalid policy config: ${policy}: enforcementLevel ${JSON.stringify(enforcementLevel)} is not valid`,
                    file,
                    `use one of ${ENFORCEMENT_LEVELS.join(", ")}`,
                );
            }
            const entry: PolicyConfigValue = {};
            if (enforcementLevel !== undefined) {
                entry.enforcementLevel = enforcementLevel;
            }
            if (Object.keys(properties).length > 0) {
                entry.properties = properties;
            }
            if (entry.enforcementLevel !== undefined || entry.properties !== undefined) {
                out[policy] = entry;
            }
        } else {
            throw new CheckInputError(
                `invalid policy config: ${policy}: ${JSON.stringify(value)} is not valid; must be a string or object`,
                file,
                "give an enforcement level or an object of settings",
            );
        }
    }
    return out;
}

function apply(result: ReconciledConfig, given: Record<string, PolicyConfigValue>): void {
    const all = given["all"];
    if (all?.enforcementLevel) {
        for (const k of Object.keys(result)) {
            result[k]!.enforcementLevel = all.enforcementLevel;
        }
    }
    for (const [policy, cfg] of Object.entries(given)) {
        if (policy === "all" || !result[policy]) {
            continue;
        }
        const target = result[policy]!;
        if (cfg.enforcementLevel) {
            target.enforcementLevel = cfg.enforcementLevel;
        }
        Object.assign(target.properties, cfg.properties ?? {});
    }
}

function describe(err: ErrorObject): { key: string; text: string } {
    const pathKey = err.instancePath
        .split("/")
        .filter(Boolean)
        .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
        .join("");
    if (err.keyword === "required") {
        return { key: String((err.params as { missingProperty: string }).missingProperty), text: "is required" };
    }
    if (err.keyword === "additionalProperties") {
        const extra = String((err.params as { additionalProperty: string }).additionalProperty);
        return { key: pathKey ? `${pathKey}.${extra}` : extra, text: "is not an allowed setting" };
    }
    if (err.keyword === "enum") {
        return { key: pathKey, text: `must be one of ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}` };
    }
    return { key: pathKey || "(config)", text: err.message ?? "is invalid" };
}

/**
 * Defaults + initial config + file, then validation. Throws a {@link CheckInputError} naming the first policy and
 * key that are invalid.
 */
export function reconcilePolicyConfig(
    policies: PolicySchemaInfo[],
    initialConfig: Record<string, PolicyConfigValue>,
    given: Record<string, PolicyConfigValue>,
    file: string,
): ReconciledConfig {
    const known = new Set(policies.map((p) => p.name));
    for (const name of Object.keys(given)) {
        if (name !== "all" && !known.has(name)) {
            throw new CheckInputError(
                `invalid policy config: '${name}' is not a policy of this pack`,
                file,
                `use one of: all, ${[...known].sort().join(", ")}`,
            );
        }
    }
    const result: ReconciledConfig = {};
    for (const p of policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(p.schema?.properties ?? {})) {
            if (isRecord(v) && "default" in v) {
                properties[k] = structuredClone(v["default"]);
            }
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties };
    }
    apply(result, initialConfig);
    apply(result, given);

    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const p of policies) {
        if (!p.schema) {
            continue;
        }
        const schema = {
            type: "object",
            properties: { ...p.schema.properties, enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] } },
            ...(p.schema.required.length ? { required: p.schema.required } : {}),
        };
        let validate;
        try {
            validate = ajv.compile(schema);
        } catch (e) {
            throw new CheckInputError(`the policy pack failed to load: ${p.name} has an invalid configSchema: ${firstLine(e)}`, file, "fix the policy's configSchema");
        }
        if (!validate(result[p.name]!.properties)) {
            const { key, text } = describe(validate.errors![0]!);
            throw new CheckInputError(`invalid policy config: ${p.name}: ${key} ${text}`, file, `fix '${key}' under "${p.name}"`);
        }
    }
    return result;
}
