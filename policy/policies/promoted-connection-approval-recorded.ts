import { describeUnknown, isOn, readInput } from "../lib/fields";
import { GOVERNANCE_KEYS } from "../facts/governance";
import { type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { nonEmptyString, quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";

const PROMOTED_CONNECTION_APPROVAL_POLICY_NAME = "promoted-connection-approval-recorded";

export const promotedConnectionApprovalRecorded: McpResourcePolicy = {
    name: PROMOTED_CONNECTION_APPROVAL_POLICY_NAME,
    description: "A connection promoted to domain level must record its owner and approval reference in its metadata.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: [
        `1. Find who owns the identity provider and the ticket or change record that approved exposing it to third-party clients.`,
        `2. Set metadata.${GOVERNANCE_KEYS.owner} to the owner (team or person) and metadata.${GOVERNANCE_KEYS.approvalRef} to the approval reference on the Connection.`,
        `3. The auth0-mcp components write both keys when you pass owner and approvalRef; raw Connection resources must set them by hand.`,
    ].join("\n"),
    validateResource: onAuth0Type(AUTH0_TYPES.connection, (args, reportViolation) => {
        const promoted = readInput(args.props, "isDomainConnection");
        if (promoted.state === "unset" || (promoted.state === "set" && !isOn(promoted.value))) return;
        const missing: string[] = [];
        const unknown: string[] = [];
        for (const key of [GOVERNANCE_KEYS.owner, GOVERNANCE_KEYS.approvalRef]) {
            const read = readInput(args.props, `metadata.${key}`);
            if (read.state === "unknown") unknown.push(describeUnknown(`metadata.${key}`, read));
            else if (read.state === "unset" || nonEmptyString(read.value) === undefined) missing.push(key);
        }
        if (missing.length === 0 && unknown.length === 0) return;
        const promotion =
            promoted.state === "unknown"
                ? `may be promoted (${describeUnknown("isDomainConnection", promoted)}; set it to a literal true or false)`
                : `sets isDomainConnection: ${quote(promoted.value)}`;
        const problems = [
            ...(missing.length > 0 ? [`its metadata lacks ${missing.join(" and ")}`] : []),
            ...(unknown.length > 0
                ? [`${unknown.join("; ")}, so the approval cannot be seen at preview (set it to a literal value)`]
                : []),
        ];
        reportViolation(
            `Connection "${args.name}" ${promotion} but ${problems.join("; ")}. ` +
                `Record who owns this identity provider and which approval allowed promoting it: set ` +
                `metadata.${GOVERNANCE_KEYS.owner} and metadata.${GOVERNANCE_KEYS.approvalRef}.`,
        );
    }),
};
