/**
 * The checker's side of policy configuration: read and parse the `--policy-config` file, hand it with what
 * GetAnalyzerInfo said to the CLI emulation in ./policy-config-validation.ts (each policy's enforcement level
 * and its schema's top-level `default`s, the pack's initial config, the file — `all` first, then per policy —,
 * validation of every policy's settings against its configSchema), and turn the first problem into one
 * {@link CheckInputError} line naming the policy and the key.
 *
 * The emulation runs in strict mode: a key naming no policy of the pack, or no setting of a policy, is an error
 * here (the CLI ignores both, which silently drops a misspelt policy's or setting's value).
 */
import * as fs from "node:fs";
import {
    ENFORCEMENT_LEVELS,
    parsePackConfig,
    reconcilePackConfig,
    type ConfigIssue,
    type PolicyConfigEntry,
    type ResolvedPolicyConfig,
} from "./policy-config-validation";
import { CheckInputError, firstLine } from "./errors";
import type { EnforcementLevel } from "./types";

/** One parsed entry of a policy config file (or of the pack's initial config). */
export type PolicyConfigValue = PolicyConfigEntry;

/** What GetAnalyzerInfo says about one policy, as far as configuration is concerned. */
export interface PolicySchemaInfo {
    name: string;
    enforcementLevel: EnforcementLevel;
    schema?: { properties: Record<string, unknown>; required: string[] };
}

export type ReconciledConfig = Record<string, ResolvedPolicyConfig>;

/** Parses a policy config file (`{"all": "mandatory", "<policy>": "disabled" | {enforcementLevel?, …props}}`). */
export function readPolicyConfigFile(file: string): Record<string, PolicyConfigValue> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new CheckInputError(
            "the policy config file cannot be read",
            file,
            "pass --policy-config with an existing JSON file",
        );
    }
    if (text.trim() === "") {
        return {};
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new CheckInputError(
            `invalid policy config: not valid JSON: ${firstLine(e)}`,
            file,
            "fix the JSON syntax",
        );
    }
    return parsePolicyConfig(doc, file);
}

/** The file's entries; throws on the first entry that is not a valid level or object (before the pack starts). */
export function parsePolicyConfig(doc: unknown, file: string): Record<string, PolicyConfigValue> {
    // The CLI reads `null` as an empty config; the checker rejects it, as it rejects every non-object document.
    const { entries, issues } =
        doc === null || doc === undefined
            ? {
                  entries: {},
                  issues: [{ kind: "document", message: "the policy pack config must be a JSON object" } as const],
              }
            : parsePackConfig(doc);
    if (issues.length > 0) {
        throw toCheckError(issues, file, []);
    }
    return entries;
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
    const result = reconcilePackConfig(
        policies.map((p) => ({
            name: p.name,
            enforcementLevel: p.enforcementLevel,
            ...(p.schema ? { configSchema: p.schema } : {}),
        })),
        given,
        "advisory",
        { strict: true, initialConfig },
    );
    if (result.issues.length > 0) {
        throw toCheckError(result.issues, file, policies);
    }
    return result.policies;
}

/** The first issue as the checker's one line: what (policy and key), where (the file), how to fix it. */
function toCheckError(issues: ConfigIssue[], file: string, policies: PolicySchemaInfo[]): CheckInputError {
    const [issue] = issues;
    if (issue === undefined) {
        throw new Error("toCheckError: called with no config issue (both callers check for at least one)");
    }
    const more =
        issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? "s" : ""} after this one)` : "";
    const policy = issue.policy ?? "";
    const what = `${policy}: ${issue.key !== undefined ? `${issue.key} ` : ""}${issue.message}`;
    switch (issue.kind) {
        case "schema":
            return new CheckInputError(
                `the policy pack failed to load: ${policy} ${issue.message}`,
                file,
                `fix the policy's configSchema${more}`,
            );
        case "document":
            return new CheckInputError(
                `invalid policy config: ${issue.message}`,
                file,
                `write {"<policy>": {...}}${more}`,
            );
        case "entry":
            return new CheckInputError(
                `invalid policy config: ${what}`,
                file,
                `give an enforcement level or an object of settings${more}`,
            );
        case "enforcement-level":
            return new CheckInputError(
                `invalid policy config: ${what}`,
                file,
                `use one of ${ENFORCEMENT_LEVELS.join(", ")}${more}`,
            );
        case "unknown-policy":
            return new CheckInputError(
                `invalid policy config: '${policy}' ${issue.message}`,
                file,
                `use one of: all, ${policies
                    .map((p) => p.name)
                    .sort()
                    .join(", ")}${more}`,
            );
        case "unknown-key": {
            const settings = Object.keys(policies.find((p) => p.name === policy)?.schema?.properties ?? {}).sort();
            const fix =
                settings.length > 0
                    ? `use one of: ${settings.join(", ")}`
                    : `"${policy}" takes only an enforcementLevel`;
            return new CheckInputError(`invalid policy config: ${what}`, file, `${fix}${more}`);
        }
        case "value":
            return new CheckInputError(
                `invalid policy config: ${what}`,
                file,
                `fix '${issue.key}' under "${policy}"${more}`,
            );
    }
}
