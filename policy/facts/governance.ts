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
const REVIEW_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real `YYYY-MM-DD` calendar date (not `2026-02-30`). */
export function isCalendarDate(value: string): boolean {
    if (!REVIEW_DATE_PATTERN.test(value)) return false;
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}
