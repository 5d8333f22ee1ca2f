/**
 * The real stack files (Pulumi.dev.yaml / Pulumi.prod.yaml, built by src/program under mocks) against the real
 * policy configs (policy/config/dev.json / prod.json) for the connection and CIMD rules: the approvals pinned in a
 * config must match what its stack declares.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildStack } from "../../src/program/stack";
import { resolvePackConfig } from "../../src/check/policy-config-validation";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { approvedIdentityProviders } from "../../policy/policies/approved-identity-providers";
import { cimdClientGovernance } from "../../policy/policies/cimd-client-governance";
import { promotedConnectionApprovalRecorded } from "../../policy/policies/promoted-connection-approval-recorded";
import { MCP_POLICIES } from "../../policy/registry";
import { resolvedProps, runUnderMocks } from "../helpers/mocks";
import { stackRuntimeConfig } from "../helpers/stack-config";
import { PACK_DIR, runResourcePolicy, type FakeResource } from "./helpers";
import { defined } from "../helpers/defined";

const RULES = [approvedIdentityProviders, promotedConnectionApprovalRecorded, cimdClientGovernance];

async function stackResources(stack: "dev" | "prod"): Promise<FakeResource[]> {
    const run = await runUnderMocks(stackRuntimeConfig(stack), () => buildStack());
    expect(run.error).toBeUndefined();
    const relevant = run.resources.filter(
        (r) => r.type === AUTH0_TYPES.connection || r.type === AUTH0_TYPES.clientCimd,
    );
    return Promise.all(relevant.map(async (r) => ({ type: r.type, name: r.name, props: await resolvedProps(r) })));
}

async function violations(env: "dev" | "prod", resources: FakeResource[]): Promise<string[]> {
    const resolved = resolvePackConfig(
        MCP_POLICIES,
        JSON.parse(readFileSync(join(PACK_DIR, "config", `${env}.json`), "utf8")),
    );
    expect(resolved.errors).toEqual([]);
    const found: string[] = [];
    for (const rule of RULES) {
        const { properties } = defined(resolved.policies[rule.name], `${rule.name}'s resolved config`);
        for (const resource of resources) {
            const outcome = await runResourcePolicy(rule, resource, { config: properties, rawConfig: true });
            expect(outcome.previewAdvisory).toBeUndefined();
            found.push(...outcome.violations.map((v) => `${v.policyName}: ${v.message}`));
        }
    }
    return found;
}

describe.each(["dev", "prod"] as const)("Pulumi.%s.yaml under policy/config/%s.json", async (env) => {
    const resources = await stackResources(env);

    it("declares a promoted connection and a CIMD client, and the connection and CIMD rules let them through", async () => {
        expect(resources.map((r) => r.type).sort()).toEqual([AUTH0_TYPES.clientCimd, AUTH0_TYPES.connection]);
        expect(await violations(env, resources)).toEqual([]);
    });
});

describe("prod.json pins corp-oidc to its issuer", async () => {
    const resources = await stackResources("prod");
    const withConnection = (options: Record<string, unknown>) =>
        resources.map((r) => (r.type === AUTH0_TYPES.connection ? { ...r, props: { ...r.props, options } } : r));

    it("blocks the same connection pointed at another issuer", async () => {
        const found = await violations("prod", withConnection({ issuer: "https://login.attacker.test/" }));
        expect(found).toEqual([
            expect.stringContaining(
                `approved-identity-providers: Connection "mcp-tenant-connection-corp-oidc" (name "corp-oidc", strategy "oidc") sets isDomainConnection: true, which is not approved: options.issuer is "https://login.attacker.test/"`,
            ),
        ]);
    });

    it("blocks dev's google connection, approved there by strategy, because prod requires pinned connections", async () => {
        const google = {
            type: AUTH0_TYPES.connection,
            name: "google",
            props: {
                name: "google-oauth2",
                strategy: "google-oauth2",
                isDomainConnection: true,
                metadata: { mcp_owner: "a", mcp_approval_ref: "b" },
            },
        };
        expect(await violations("prod", [google])).toEqual([expect.stringContaining("requirePinnedConnections is on")]);
        expect(await violations("dev", [google])).toEqual([]);
    });
});
