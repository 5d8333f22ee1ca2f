import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { GOVERNANCE_KEYS } from "../lib/governance";
import { type McpResourcePolicy } from "../lib/policy-kit";
import { nonEmptyString, objectValue } from "../lib/props";
import { AUTH0_TYPES } from "../lib/resource-types";

export const PROMOTED_CONNECTION_APPROVAL_POLICY_NAME = "promoted-connection-approval-recorded";

export const promotedConnectionApprovalRecorded: McpResourcePolicy = {
  name: PROMOTED_CONNECTION_APPROVAL_POLICY_NAME,
  description:
    "A connection promoted to domain level must record its owner and approval reference in its metadata.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: [
    `1. Find who owns the identity provider and the ticket or change record that approved exposing it to third-party clients.`,
    `2. Set metadata.${GOVERNANCE_KEYS.owner} to the owner (team or person) and metadata.${GOVERNANCE_KEYS.approvalRef} to the approval reference on the Connection.`,
    `3. The auth0-mcp components write both keys when you pass owner and approvalRef; raw Connection resources must set them by hand.`,
  ].join("\n"),
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== AUTH0_TYPES.connection) return;
    if (args.props.isDomainConnection !== true) return;
    const metadata = objectValue(args.props.metadata) ?? {};
    const missing = [GOVERNANCE_KEYS.owner, GOVERNANCE_KEYS.approvalRef].filter(
      (key) => nonEmptyString(metadata[key]) === undefined,
    );
    if (missing.length > 0) {
      reportViolation(
        `Connection "${args.name}" sets isDomainConnection: true but its metadata lacks ${missing.join(" and ")}. ` +
          `Record who owns this identity provider and which approval allowed promoting it: set ` +
          `metadata.${GOVERNANCE_KEYS.owner} and metadata.${GOVERNANCE_KEYS.approvalRef}.`,
      );
    }
  },
};
