/**
 * Policy settings checks that JSON schema cannot express (a public suffix in an allowlist, a pinned approval
 * that pins nothing), keyed by policy name. The rules report them as violations naming the config key; the
 * checker's config validation can call {@link semanticConfigProblems} to refuse the file up front, like a schema
 * error. No @pulumi imports.
 */
import { validateAllowedMetadataDomains } from "./cimd-url";
import { validateApprovedConnections } from "./connection-identity";

/** One problem of a policy setting: `key` is a dotted path (`allowedMetadataDomains.2`), like the CLI's. */
export interface SettingProblem {
    key: string;
    message: string;
}

type SemanticCheck = (properties: Record<string, unknown>) => SettingProblem[];

export const SEMANTIC_CONFIG_CHECKS: Readonly<Record<string, SemanticCheck>> = {
    "cimd-client-governance": (properties) =>
        properties.allowedMetadataDomains === undefined
            ? []
            : validateAllowedMetadataDomains(properties.allowedMetadataDomains),
    "approved-identity-providers": (properties) => validateApprovedConnections(properties.approvedConnections),
};

/** The semantic problems of one policy's resolved properties; empty for policies without such checks. */
export function semanticConfigProblems(policyName: string, properties: Record<string, unknown>): SettingProblem[] {
    return SEMANTIC_CONFIG_CHECKS[policyName]?.(properties) ?? [];
}
