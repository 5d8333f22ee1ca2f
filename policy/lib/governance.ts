/**
 * Metadata keys under which an approval is recorded on a promoted connection (`metadata`) and on a
 * pre-registered CIMD client (`clientMetadata`). The components write them; the policy pack reads them.
 * Auth0 allows at most 10 metadata keys of at most 255 characters, letters, digits and `_` among them.
 */
export const GOVERNANCE_KEYS = {
  owner: "mcp_owner",
  approvalRef: "mcp_approval_ref",
  reviewBy: "mcp_review_by",
} as const;

/** Review-by dates are calendar dates, `YYYY-MM-DD`. */
export const REVIEW_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
