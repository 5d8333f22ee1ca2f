import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { GOVERNANCE_KEYS, isCalendarDate } from "../lib/governance";
import { hostIsAllowed } from "../lib/host-allowlist";
import { withDefaults, type McpResourcePolicy } from "../lib/policy-kit";
import { nonEmptyString, objectValue, quote } from "../lib/props";
import { AUTH0_TYPES } from "../lib/resource-types";

export const CIMD_GOVERNANCE_POLICY_NAME = "cimd-client-governance";

export interface CimdGovernanceConfig {
  /** Domains whose hosts (and subdomains) may serve Client ID Metadata Documents. No value means none. */
  allowedMetadataDomains?: string[];
  /** Require a `mcp_review_by` date in clientMetadata. */
  requireReviewBy: boolean;
}

const DEFAULTS: CimdGovernanceConfig = { requireReviewBy: true };

/** Today as `YYYY-MM-DD` in UTC, which sorts like the review-by dates it is compared with. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function metadataUrlProblems(raw: string | undefined, allowedDomains: string[] | undefined): string[] {
  if (raw === undefined) return ["externalClientId is not set"];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [`externalClientId ${quote(raw)} is not an absolute URL`];
  }
  const problems: string[] = [];
  if (url.protocol !== "https:") problems.push(`externalClientId ${quote(raw)} must use https`);
  if (url.pathname === "" || url.pathname === "/") {
    problems.push(`externalClientId ${quote(raw)} must have a path to the metadata document (e.g. /oauth/client-metadata.json)`);
  }
  if (url.username || url.password) problems.push(`externalClientId must not contain credentials`);
  if (url.hash) problems.push(`externalClientId ${quote(raw)} must not have a fragment`);
  if (allowedDomains === undefined) {
    problems.push(
      `no metadata domains are allowlisted (the policy fails closed): add "allowedMetadataDomains" (e.g. ["example.com"]) ` +
        `to the ${CIMD_GOVERNANCE_POLICY_NAME} policy config`,
    );
  } else if (!hostIsAllowed(url.hostname, allowedDomains)) {
    problems.push(
      `metadata host ${quote(url.hostname)} is not on allowedMetadataDomains [${allowedDomains.join(", ")}]; whoever ` +
        `controls that host controls the client's redirect URIs and keys`,
    );
  }
  return problems;
}

function governanceProblems(metadata: Record<string, unknown>, requireReviewBy: boolean): string[] {
  const problems: string[] = [];
  for (const key of [GOVERNANCE_KEYS.owner, GOVERNANCE_KEYS.approvalRef]) {
    if (nonEmptyString(metadata[key]) === undefined) problems.push(`clientMetadata.${key} is not set`);
  }
  const reviewBy = nonEmptyString(metadata[GOVERNANCE_KEYS.reviewBy]);
  if (reviewBy === undefined) {
    if (requireReviewBy) problems.push(`clientMetadata.${GOVERNANCE_KEYS.reviewBy} is not set (YYYY-MM-DD)`);
  } else if (!isCalendarDate(reviewBy)) {
    problems.push(`clientMetadata.${GOVERNANCE_KEYS.reviewBy} ${quote(reviewBy)} is not a YYYY-MM-DD date`);
  } else if (reviewBy < todayUtc()) {
    problems.push(
      `clientMetadata.${GOVERNANCE_KEYS.reviewBy} ${quote(reviewBy)} has passed; re-review the client and set a new date`,
    );
  }
  return problems;
}

export const cimdClientGovernance: McpResourcePolicy = {
  name: CIMD_GOVERNANCE_POLICY_NAME,
  description:
    "A pre-registered CIMD client must load its metadata over https from an allowlisted domain and record its owner, approval and review date.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: [
    "1. Make externalClientId an https URL with a path (e.g. https://app.example.com/oauth/client-metadata.json) on a domain your organisation controls.",
    "2. If the domain is trusted, add it to allowedMetadataDomains in this policy's config for the environment.",
    `3. Set clientMetadata.${GOVERNANCE_KEYS.owner}, clientMetadata.${GOVERNANCE_KEYS.approvalRef} and clientMetadata.${GOVERNANCE_KEYS.reviewBy} (YYYY-MM-DD, in the future).`,
    "4. When the review date passes, re-approve the client and move the date forward, or delete the client.",
  ].join("\n"),
  configSchema: {
    properties: {
      allowedMetadataDomains: {
        type: "array",
        description: "Domains whose hosts and subdomains may serve Client ID Metadata Documents. No value means none.",
        items: { type: "string", minLength: 1, pattern: "^(\\*\\.)?[A-Za-z0-9.-]+$" },
        uniqueItems: true,
      },
      requireReviewBy: {
        type: "boolean",
        description: `Require clientMetadata.${GOVERNANCE_KEYS.reviewBy}.`,
        default: true,
      },
    },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== AUTH0_TYPES.clientCimd) return;
    const config = withDefaults(args.getConfig<Partial<CimdGovernanceConfig>>(), DEFAULTS);
    const externalClientId = nonEmptyString(args.props.externalClientId);
    const problems = [
      ...metadataUrlProblems(externalClientId, config.allowedMetadataDomains),
      ...governanceProblems(objectValue(args.props.clientMetadata) ?? {}, config.requireReviewBy),
    ];
    if (problems.length > 0) {
      reportViolation(`ClientCimd "${args.name}" (${quote(externalClientId)}): ${problems.join("; ")}.`);
    }
  },
};
