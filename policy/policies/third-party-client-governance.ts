import { describeUnknown, isOn, knownString, readInput } from "../lib/fields";
import { GOVERNANCE_KEYS, isCalendarDate } from "../facts/governance";
import { withDefaults, type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { nonEmptyString, quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";

const THIRD_PARTY_CLIENT_GOVERNANCE_POLICY_NAME = "third-party-client-governance";

interface ThirdPartyClientGovernanceConfig {
    /** Require clientMetadata.mcp_owner. */
    requireOwner: boolean;
    /** Require clientMetadata.mcp_approval_ref. */
    requireApprovalRef: boolean;
    /** Require clientMetadata.mcp_review_by; a date that is set is always checked. */
    requireReviewBy: boolean;
    /** client_id values (or Pulumi names) this rule skips. */
    exemptClients: string[];
}

type Props = Record<string, unknown>;

/** Today as `YYYY-MM-DD` in UTC, which sorts like the review-by dates it is compared with. */
function todayUtc(): string {
    return new Date().toISOString().slice(0, 10);
}

/** One governance key of clientMetadata: missing, unknown, or its value. */
function metadataValue(props: Props, key: string): { value: string } | { missing: true } | { unknown: string } {
    const path = `clientMetadata.${key}`;
    const read = readInput(props, path);
    if (read.state === "unknown") return { unknown: `${describeUnknown(path, read)}; set it to a literal value` };
    const value = read.state === "set" ? nonEmptyString(read.value) : undefined;
    return value === undefined ? { missing: true } : { value };
}

function governanceProblems(props: Props, config: ThirdPartyClientGovernanceConfig): string[] {
    const problems: string[] = [];
    const required: Array<[string, boolean]> = [
        [GOVERNANCE_KEYS.owner, isOn(config.requireOwner)],
        [GOVERNANCE_KEYS.approvalRef, isOn(config.requireApprovalRef)],
        [GOVERNANCE_KEYS.reviewBy, isOn(config.requireReviewBy)],
    ];
    for (const [key, mandatory] of required) {
        const read = metadataValue(props, key);
        if ("unknown" in read) problems.push(read.unknown);
        else if ("missing" in read) {
            if (mandatory)
                problems.push(
                    `clientMetadata.${key} is not set${key === GOVERNANCE_KEYS.reviewBy ? " (YYYY-MM-DD)" : ""}`,
                );
        } else if (key === GOVERNANCE_KEYS.reviewBy) {
            if (!isCalendarDate(read.value))
                problems.push(`clientMetadata.${key} ${quote(read.value)} is not a YYYY-MM-DD date`);
            else if (read.value < todayUtc())
                problems.push(
                    `clientMetadata.${key} ${quote(read.value)} has passed; re-review the client and set a new date`,
                );
        }
    }
    return problems;
}

/**
 * Third-party applications (`isFirstParty: false`): every client registered through Dynamic Client Registration,
 * and any an admin created as third-party. CIMD clients are auth0.ClientCimd and have their own rule.
 */
export const thirdPartyClientGovernance: McpResourcePolicy = {
    name: THIRD_PARTY_CLIENT_GOVERNANCE_POLICY_NAME,
    description:
        "A third-party client, including every client registered through Dynamic Client Registration, must record its owner and approval reference, and a review-by date that has not passed.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "1. Find who owns the client and which ticket or change record approved it; a client nobody can vouch for should be deleted (DCR lets anyone register one).",
        `2. Set clientMetadata.${GOVERNANCE_KEYS.owner} and clientMetadata.${GOVERNANCE_KEYS.approvalRef} on the client (in code, or on a live client with the Management API's PATCH /api/v2/clients/{id} client_metadata).`,
        `3. Set clientMetadata.${GOVERNANCE_KEYS.reviewBy} to a YYYY-MM-DD date in the future; when it passes, re-approve the client and move the date, or delete the client.`,
        "4. The policy config decides which keys are mandatory (requireOwner, requireApprovalRef, requireReviewBy); a client that must stay as it is can be listed by client_id in exemptClients, with the reason recorded in review.",
    ].join("\n"),
    configSchema: {
        properties: {
            requireOwner: {
                type: "boolean",
                description: `Require clientMetadata.${GOVERNANCE_KEYS.owner}.`,
                default: true,
            },
            requireApprovalRef: {
                type: "boolean",
                description: `Require clientMetadata.${GOVERNANCE_KEYS.approvalRef}.`,
                default: true,
            },
            requireReviewBy: {
                type: "boolean",
                description: `Require clientMetadata.${GOVERNANCE_KEYS.reviewBy}; a date that is set is always checked.`,
                default: false,
            },
            exemptClients: {
                type: "array",
                description:
                    "client_id values (live tenant) or Pulumi resource names (programs) of third-party clients this policy skips.",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: [],
            },
        },
    },
    validateResource: onAuth0Type(AUTH0_TYPES.client, (args, reportViolation) => {
        const config = withDefaults<ThirdPartyClientGovernanceConfig>(
            args.getConfig(),
            thirdPartyClientGovernance.configSchema,
        );
        const firstParty = readInput(args.props, "isFirstParty");
        // Unset: Auth0 creates first-party applications by default.
        if (firstParty.state === "unset" || (firstParty.state === "set" && isOn(firstParty.value))) return;
        const clientId = readInput(args.props, "clientId");
        const id = knownString(clientId);
        if (config.exemptClients.includes(args.name) || (id !== undefined && config.exemptClients.includes(id))) return;
        const problems = governanceProblems(args.props, config);
        if (problems.length === 0) return;
        const party =
            firstParty.state === "unknown"
                ? `may be third-party (${describeUnknown("isFirstParty", firstParty)}; set it to a literal true or false)`
                : "is a third-party client";
        reportViolation(
            `Client "${args.name}" ${party}, so any user may consent to it and it reaches every domain-level connection, but ${problems.join("; ")}. ` +
                `Record who owns it and which approval allowed it in clientMetadata (${GOVERNANCE_KEYS.owner}, ${GOVERNANCE_KEYS.approvalRef}, ${GOVERNANCE_KEYS.reviewBy}), or delete it.`,
        );
    }),
};
