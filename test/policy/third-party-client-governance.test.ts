import { describe, expect, it } from "vitest";
import { thirdPartyClientGovernance as policy } from "../../policy/policies/third-party-client-governance";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { runResourcePolicy, UNKNOWN, type FakeResource } from "./helpers";
import { defined } from "../helpers/defined";

function client(props: Record<string, unknown>, name = "agent"): FakeResource {
    return {
        type: AUTH0_TYPES.client,
        name,
        props: {
            name,
            isFirstParty: false,
            grantTypes: ["authorization_code", "refresh_token"],
            clientId: "tpc_abc",
            ...props,
        },
    };
}

const governed = { mcp_owner: "platform-team", mcp_approval_ref: "CHG-1", mcp_review_by: "2099-12-31" };
const firstMessage = (violations: Array<{ message: string }>) => defined(violations[0], "a violation").message;

describe("third-party-client-governance", () => {
    it("is mandatory", () => {
        expect(policy.enforcementLevel).toBe("mandatory");
    });

    it("lets first-party clients through, and clients that leave isFirstParty to Auth0's default (first-party)", async () => {
        expect(
            (await runResourcePolicy(policy, client({ isFirstParty: true, clientMetadata: {} }))).violations,
        ).toEqual([]);
        expect((await runResourcePolicy(policy, client({ isFirstParty: undefined }))).violations).toEqual([]);
    });

    it("lets a governed third-party client through", async () => {
        expect((await runResourcePolicy(policy, client({ clientMetadata: governed }))).violations).toEqual([]);
    });

    it("names a third-party client without owner and approval", async () => {
        const { violations } = await runResourcePolicy(
            policy,
            client({ clientMetadata: {} }, "Some MCP Client (tpc_abc)"),
        );
        expect(violations).toHaveLength(1);
        expect(firstMessage(violations)).toContain('Client "Some MCP Client (tpc_abc)" is a third-party client');
        expect(firstMessage(violations)).toContain(
            "clientMetadata.mcp_owner is not set; clientMetadata.mcp_approval_ref is not set",
        );
        expect(firstMessage(violations)).not.toContain("mcp_review_by is not set");
    });

    it("flags a review-by date that has passed or is not a date, whatever requireReviewBy says", async () => {
        const past = await runResourcePolicy(
            policy,
            client({ clientMetadata: { ...governed, mcp_review_by: "2020-01-31" } }),
        );
        expect(firstMessage(past.violations)).toContain('clientMetadata.mcp_review_by "2020-01-31" has passed');
        const bad = await runResourcePolicy(
            policy,
            client({ clientMetadata: { ...governed, mcp_review_by: "2026-02-30" } }),
        );
        expect(firstMessage(bad.violations)).toContain('"2026-02-30" is not a YYYY-MM-DD date');
    });

    it("lets the policy config decide which keys are mandatory", async () => {
        const noOwner = client({ clientMetadata: { mcp_approval_ref: "CHG-1" } });
        expect((await runResourcePolicy(policy, noOwner, { config: { requireOwner: false } })).violations).toEqual([]);
        const noDate = client({ clientMetadata: { mcp_owner: "a", mcp_approval_ref: "b" } });
        expect((await runResourcePolicy(policy, noDate)).violations).toEqual([]);
        const required = await runResourcePolicy(policy, noDate, { config: { requireReviewBy: true } });
        expect(firstMessage(required.violations)).toContain("clientMetadata.mcp_review_by is not set (YYYY-MM-DD)");
    });

    it("skips exempt clients by client_id or by name", async () => {
        const c = client({ clientMetadata: {} }, "legacy");
        expect((await runResourcePolicy(policy, c, { config: { exemptClients: ["tpc_abc"] } })).violations).toEqual([]);
        expect((await runResourcePolicy(policy, c, { config: { exemptClients: ["legacy"] } })).violations).toEqual([]);
        expect((await runResourcePolicy(policy, c, { config: { exemptClients: ["other"] } })).violations).toHaveLength(
            1,
        );
    });

    it("fails closed on an unknown isFirstParty or governance value instead of passing", async () => {
        const party = await runResourcePolicy(policy, client({ isFirstParty: UNKNOWN.boolean, clientMetadata: {} }));
        expect(party.previewAdvisory).toBeUndefined();
        expect(firstMessage(party.violations)).toContain(
            "may be third-party (isFirstParty is taken from another resource's output",
        );
        const owner = await runResourcePolicy(
            policy,
            client({ clientMetadata: { ...governed, mcp_owner: UNKNOWN.string } }),
        );
        expect(owner.previewAdvisory).toBeUndefined();
        expect(firstMessage(owner.violations)).toContain(
            "clientMetadata.mcp_owner is taken from another resource's output",
        );
    });

    it("treats a blank owner as missing and a string 'false' for isFirstParty as third-party", async () => {
        const blank = await runResourcePolicy(
            policy,
            client({ isFirstParty: "false", clientMetadata: { ...governed, mcp_owner: "  " } }),
        );
        expect(firstMessage(blank.violations)).toContain("clientMetadata.mcp_owner is not set");
    });

    it("leaves ClientCimd to cimd-client-governance", async () => {
        const cimd: FakeResource = {
            type: AUTH0_TYPES.clientCimd,
            name: "cimd",
            props: { isFirstParty: false, clientMetadata: {} },
        };
        expect((await runResourcePolicy(policy, cimd)).violations).toEqual([]);
    });
});
