import {
    ALLOWED_METADATA_DOMAINS_KEY,
    metadataHostAllowed,
    parseMetadataUrl,
    validateAllowedMetadataDomains,
} from "../facts/cimd-url";
import { describeUnknown, isOn, normalized, readInput, type FieldRead } from "../lib/fields";
import { GOVERNANCE_KEYS, isCalendarDate } from "../facts/governance";
import { withDefaults, type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { nonEmptyString, quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";

const CIMD_GOVERNANCE_POLICY_NAME = "cimd-client-governance";

interface CimdGovernanceConfig {
    /** Domains whose hosts (and subdomains) may serve Client ID Metadata Documents. No value means none. */
    allowedMetadataDomains?: string[];
    /** Require a `mcp_review_by` date in clientMetadata. */
    requireReviewBy: boolean;
}

/**
 * The grant types a CIMD client may hold. The provider's Check refuses any other
 * (terraform-provider-auth0 internal/auth0/client/resource_cimd.go, cimdClientSchema: grant_types
 * StringInSlice{authorization_code, refresh_token}); the rule says the same so the offline check agrees.
 */
const CIMD_GRANT_TYPES: readonly string[] = ["authorization_code", "refresh_token"];

type Props = Record<string, unknown>;

/** Today as `YYYY-MM-DD` in UTC, which sorts like the review-by dates it is compared with. */
function todayUtc(): string {
    return new Date().toISOString().slice(0, 10);
}

function unknownProblem(path: string, read: Extract<FieldRead, { state: "unknown" }>, fix: string): string {
    return `${describeUnknown(path, read)}, so the rule cannot judge it and blocks; ${fix}`;
}

function configProblems(config: CimdGovernanceConfig): string[] {
    if (config.allowedMetadataDomains === undefined) {
        return [
            `no metadata domains are allowlisted (the policy fails closed): add "${ALLOWED_METADATA_DOMAINS_KEY}" (e.g. ["example.com"]) ` +
                `to the ${CIMD_GOVERNANCE_POLICY_NAME} policy config`,
        ];
    }
    return validateAllowedMetadataDomains(config.allowedMetadataDomains).map(
        (p) => `policy config ${CIMD_GOVERNANCE_POLICY_NAME}.${p.key}: ${p.message}`,
    );
}

function metadataUrlProblems(read: FieldRead, allowedDomains: string[] | undefined): string[] {
    if (read.state === "unknown") {
        return [unknownProblem("externalClientId", read, "set it to the literal https URL of the metadata document")];
    }
    if (read.state === "unset") return ["externalClientId is not set"];
    if (typeof read.value !== "string") return [`externalClientId ${quote(read.value)} is not a URL string`];
    const parsed = parseMetadataUrl(read.value);
    const problems =
        parsed.problems.length > 0 ? [`externalClientId ${quote(read.value)} ${parsed.problems.join(", ")}`] : [];
    if (
        parsed.host !== undefined &&
        allowedDomains !== undefined &&
        !metadataHostAllowed(parsed.host, allowedDomains)
    ) {
        problems.push(
            `metadata host ${quote(parsed.host)} is not on ${ALLOWED_METADATA_DOMAINS_KEY} [${allowedDomains.join(", ")}]; whoever ` +
                `controls that host controls the client's redirect URIs and keys`,
        );
    }
    return problems;
}

/** A governance key of clientMetadata: its value, or why there is none (`unknown` when it is unknown at preview). */
function metadataString(props: Props, key: string): { value: string } | { problem: string; unknown: boolean } {
    const path = `clientMetadata.${key}`;
    const read = readInput(props, path);
    if (read.state === "unknown")
        return { problem: unknownProblem(path, read, "set it to a literal value"), unknown: true };
    const value = read.state === "set" ? nonEmptyString(read.value) : undefined;
    return value === undefined ? { problem: `${path} is not set`, unknown: false } : { value };
}

function governanceProblems(props: Props, requireReviewBy: boolean): string[] {
    const problems: string[] = [];
    for (const key of [GOVERNANCE_KEYS.owner, GOVERNANCE_KEYS.approvalRef]) {
        const read = metadataString(props, key);
        if ("problem" in read) problems.push(read.problem);
    }
    const reviewBy = metadataString(props, GOVERNANCE_KEYS.reviewBy);
    const path = `clientMetadata.${GOVERNANCE_KEYS.reviewBy}`;
    if ("problem" in reviewBy) {
        if (reviewBy.unknown) problems.push(reviewBy.problem);
        else if (requireReviewBy) problems.push(`${reviewBy.problem} (YYYY-MM-DD)`);
    } else if (!isCalendarDate(reviewBy.value)) {
        problems.push(`${path} ${quote(reviewBy.value)} is not a YYYY-MM-DD date`);
    } else if (reviewBy.value < todayUtc()) {
        problems.push(`${path} ${quote(reviewBy.value)} has passed; re-review the client and set a new date`);
    }
    return problems;
}

/** One ClientCimd setting: why its value widens what the client may do (undefined: it does not), and the fix. */
interface WideningCheck {
    path: string;
    judge: (value: unknown) => string | undefined;
    /** What to write instead when the value is unknown at preview. */
    fix: string;
}

function skipCallbackPromptWidens(v: unknown): string | undefined {
    return isOn(v)
        ? `skipNonVerifiableCallbackUriConfirmationPrompt is ${quote(v)}: it hides the warning users see before a ` +
              `custom-scheme or localhost callback that any local app could claim; the metadata document, not you, ` +
              `chooses those callbacks, so remove the setting or set it to false`
        : undefined;
}

function redirectionPolicyWidens(v: unknown): string | undefined {
    return normalized(v) === "allow_always"
        ? `redirectionPolicy ${quote(v)} lets Auth0 redirect to the client's callback on errors and show its domain in ` +
              `emails, which turns Auth0 into an open redirector for whoever hosts the metadata document; leave it out ` +
              `(third-party clients default to open_redirect_protection) or set "open_redirect_protection"`
        : undefined;
}

function grantTypesWiden(v: unknown): string | undefined {
    const list = Array.isArray(v) ? v : [v];
    const extra = list.filter((g) => typeof g !== "string" || !CIMD_GRANT_TYPES.includes(g));
    return extra.length > 0
        ? `grantTypes ${extra.map(quote).join(", ")} ${extra.length === 1 ? "is" : "are"} not allowed for a CIMD client ` +
              `(only ${CIMD_GRANT_TYPES.join(" and ")}, snake_case); remove ${extra.length === 1 ? "it" : "them"}`
        : undefined;
}

function oidcConformantOffWidens(v: unknown): string | undefined {
    return isOn(v)
        ? undefined
        : `oidcConformant is ${quote(v)}: a CIMD client must stay OIDC-conformant (legacy flows off); set it to true or leave it out`;
}

function infiniteTokenLifetimeWidens(v: unknown): string | undefined {
    return isOn(v)
        ? `refreshToken.infiniteTokenLifetime is ${quote(v)}: refresh tokens of an externally hosted client would never ` +
              `expire; set it to false with a refreshToken.tokenLifetime`
        : undefined;
}

function infiniteIdleTokenLifetimeWidens(v: unknown): string | undefined {
    return isOn(v)
        ? `refreshToken.infiniteIdleTokenLifetime is ${quote(v)}: idle refresh tokens would never expire (Auth0 requires ` +
              `false for CIMD clients); set it to false`
        : undefined;
}

function nonRotatingRefreshTokensWiden(v: unknown): string | undefined {
    return normalized(v) === "non-rotating"
        ? `refreshToken.rotationType ${quote(v)} lets a stolen refresh token be replayed indefinitely (CIMD clients are ` +
              `usually public clients, which OAuth 2.1 requires to rotate); set "rotating"`
        : undefined;
}

const WIDENING_CHECKS: readonly WideningCheck[] = [
    {
        path: "skipNonVerifiableCallbackUriConfirmationPrompt",
        judge: skipCallbackPromptWidens,
        fix: "set it to false or leave it out",
    },
    {
        path: "redirectionPolicy",
        judge: redirectionPolicyWidens,
        fix: `set it to "open_redirect_protection" or leave it out`,
    },
    { path: "grantTypes", judge: grantTypesWiden, fix: `list only ${CIMD_GRANT_TYPES.join(" and ")}, as literals` },
    { path: "oidcConformant", judge: oidcConformantOffWidens, fix: "set it to true or leave it out" },
    { path: "refreshToken.infiniteTokenLifetime", judge: infiniteTokenLifetimeWidens, fix: "set it to false" },
    { path: "refreshToken.infiniteIdleTokenLifetime", judge: infiniteIdleTokenLifetimeWidens, fix: "set it to false" },
    {
        path: "refreshToken.rotationType",
        judge: nonRotatingRefreshTokensWiden,
        fix: `set it to "rotating" or leave it out`,
    },
];

/**
 * ClientCimd settings that would widen what an externally described client may do. Auth0's third-party strict
 * mode and the provider's Check cover the rest (see the README's decision table).
 */
function wideningProblems(props: Props): string[] {
    const problems: string[] = [];
    for (const { path, judge, fix } of WIDENING_CHECKS) {
        const read = readInput(props, path);
        if (read.state === "unknown") problems.push(unknownProblem(path, read, fix));
        else if (read.state === "set") {
            const problem = judge(read.value);
            if (problem !== undefined) problems.push(problem);
        }
    }
    return problems;
}

export const cimdClientGovernance: McpResourcePolicy = {
    name: CIMD_GOVERNANCE_POLICY_NAME,
    description:
        "A pre-registered CIMD client must load its metadata over an unambiguous https URL on an allowlisted domain, record its owner, approval and review date, and not widen what the client may do.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "1. Make externalClientId a canonical https URL with a path (e.g. https://app.example.com/oauth/client-metadata.json): lowercase host name, no query, fragment, credentials, backslash, IP, IDN host or :443.",
        "2. If the domain is trusted, add it to allowedMetadataDomains in this policy's config for the environment (a registrable domain, never a TLD or public suffix such as co.uk or github.io, no wildcard).",
        `3. Set clientMetadata.${GOVERNANCE_KEYS.owner}, clientMetadata.${GOVERNANCE_KEYS.approvalRef} and clientMetadata.${GOVERNANCE_KEYS.reviewBy} (YYYY-MM-DD, in the future).`,
        "4. Leave skipNonVerifiableCallbackUriConfirmationPrompt, redirectionPolicy, oidcConformant and refreshToken at their safe defaults; grantTypes may only hold authorization_code and refresh_token.",
        "5. When the review date passes, re-approve the client and move the date forward, or delete the client.",
    ].join("\n"),
    configSchema: {
        properties: {
            allowedMetadataDomains: {
                type: "array",
                description:
                    'Registrable domains whose hosts and subdomains may serve Client ID Metadata Documents, e.g. ["example.com"]. No value means none; a bare TLD or public suffix is refused.',
                items: { type: "string", minLength: 1, pattern: "^[a-z0-9.-]+$" },
                minItems: 1,
                uniqueItems: true,
            },
            requireReviewBy: {
                type: "boolean",
                description: `Require clientMetadata.${GOVERNANCE_KEYS.reviewBy}.`,
                default: true,
            },
        },
    },
    validateResource: onAuth0Type(AUTH0_TYPES.clientCimd, (args, reportViolation) => {
        const config = withDefaults<CimdGovernanceConfig>(args.getConfig(), cimdClientGovernance.configSchema);
        const url = readInput(args.props, "externalClientId");
        const problems = [
            ...configProblems(config),
            ...metadataUrlProblems(url, config.allowedMetadataDomains),
            ...governanceProblems(args.props, isOn(config.requireReviewBy)),
            ...wideningProblems(args.props),
        ];
        if (problems.length > 0) {
            const shown =
                url.state === "set"
                    ? quote(url.value)
                    : url.state === "unknown"
                      ? "externalClientId unknown at preview"
                      : "(no URL)";
            reportViolation(`ClientCimd "${args.name}" (${shown}): ${problems.join("; ")}.`);
        }
    }),
};
