import { describe, expect, it } from "vitest";
import { promotedConnectionApprovalRecorded as policy } from "../../policy/policies/promoted-connection-approval-recorded";
import { connection } from "./fixtures";
import { runResourcePolicy } from "./helpers";

describe("promoted-connection-approval-recorded", () => {
  it("lets a promoted connection with owner and approval reference through", async () => {
    expect((await runResourcePolicy(policy, connection())).violations).toEqual([]);
  });

  it("ignores connections that are not promoted", async () => {
    expect((await runResourcePolicy(policy, connection({ isDomainConnection: false, metadata: {} }))).violations).toEqual([]);
  });

  it("blocks a promoted connection without approval metadata and names the missing keys", async () => {
    const outcome = await runResourcePolicy(policy, connection({ metadata: { mcp_owner: "  " } }, "corp"));
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].policyName).toBe("promoted-connection-approval-recorded");
    expect(outcome.violations[0].message).toContain(`Connection "corp" sets isDomainConnection: true but its metadata lacks mcp_owner and mcp_approval_ref`);
  });
});
