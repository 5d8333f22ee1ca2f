import { describe, expect, it } from "vitest";
import { promotedConnectionApprovalRecorded as policy } from "../../policy/policies/promoted-connection-approval-recorded";
import { connection } from "./fixtures";
import { UNKNOWN, runResourcePolicy } from "./helpers";

async function messages(resource: ReturnType<typeof connection>): Promise<string[]> {
    const outcome = await runResourcePolicy(policy, resource);
    expect(outcome.previewAdvisory).toBeUndefined();
    outcome.violations.forEach((v) => expect(v.policyName).toBe("promoted-connection-approval-recorded"));
    return outcome.violations.map((v) => v.message);
}

describe("promoted-connection-approval-recorded", () => {
    it("lets a promoted connection with owner and approval reference through", async () => {
        expect(await messages(connection())).toEqual([]);
    });

    it('ignores connections that are not promoted (false, "false", absent)', async () => {
        expect(await messages(connection({ isDomainConnection: false, metadata: {} }))).toEqual([]);
        expect(await messages(connection({ isDomainConnection: "false", metadata: {} }))).toEqual([]);
        expect(await messages(connection({ isDomainConnection: undefined, metadata: {} }))).toEqual([]);
    });

    it("blocks a promoted connection without approval metadata and names the missing keys", async () => {
        const [message, ...rest] = await messages(connection({ metadata: { mcp_owner: "  " } }, "corp"));
        expect(rest).toEqual([]);
        expect(message).toContain(
            `Connection "corp" sets isDomainConnection: true but its metadata lacks mcp_owner and mcp_approval_ref`,
        );
        expect(message).toContain("set metadata.mcp_owner and metadata.mcp_approval_ref");
    });

    it("counts a promotion flag given as a string or any non-false value as on", async () => {
        for (const isDomainConnection of ["true", "yes", 1]) {
            const [message] = await messages(connection({ isDomainConnection, metadata: {} }));
            expect(message).toContain(
                `sets isDomainConnection: ${JSON.stringify(isDomainConnection)} but its metadata lacks`,
            );
        }
    });

    it("fails closed when the promotion flag is unknown and the approval is missing, never the can't-run advisory", async () => {
        const [message] = await messages(connection({ isDomainConnection: UNKNOWN.boolean, metadata: {} }, "corp"));
        expect(message).toContain(
            `Connection "corp" may be promoted (isDomainConnection is taken from another resource's output`,
        );
        expect(message).toContain("its metadata lacks mcp_owner and mcp_approval_ref");
        expect(await messages(connection({ isDomainConnection: UNKNOWN.boolean }))).toEqual([]);
    });

    it("fails closed when the approval metadata is taken from another resource", async () => {
        const [message] = await messages(
            connection({ metadata: { mcp_owner: UNKNOWN.string, mcp_approval_ref: "SEC-1" } }),
        );
        expect(message).toContain("metadata.mcp_owner is taken from another resource's output");
        expect(message).toContain("so the approval cannot be seen at preview (set it to a literal value)");
        const [whole] = await messages(connection({ metadata: UNKNOWN.string }));
        expect(whole).toContain("metadata.mcp_owner is taken from another resource's output");
        expect(whole).toContain("metadata.mcp_approval_ref is taken from another resource's output");
    });
});
