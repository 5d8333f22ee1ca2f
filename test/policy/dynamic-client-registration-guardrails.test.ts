import { describe, expect, it } from "vitest";
import { dynamicClientRegistrationGuardrails as policy } from "../../policy/policies/dynamic-client-registration-guardrails";
import { apiScopes, resourceServer, tenant, thirdPartyGrant } from "./fixtures";
import { UNKNOWN, runStackPolicy, urnOf } from "./helpers";

const API = "https://mcp.dev.example.com/mcp";
const dcrOn = (extra: Record<string, unknown> = {}) =>
    tenant({ flags: { enableDynamicClientRegistration: true, enableClientConnections: false }, ...extra });
const OTHER_TENANT = "urn:pulumi:test::auth0-mcp::pulumi:providers:auth0::other-tenant";

describe("dynamic-client-registration-guardrails", () => {
    it("lets DCR through with a user grant of declared scopes to an MCP API of the same tenant (planned outputs)", async () => {
        const outcome = await runStackPolicy(policy, [dcrOn(), resourceServer(), apiScopes(), thirdPartyGrant()]);
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations).toEqual([]);
    });

    it("lets a stack with DCR off and no grant through", async () => {
        expect((await runStackPolicy(policy, [tenant(), resourceServer()])).violations).toEqual([]);
    });

    it("treats a DCR flag the program left unset as Auth0's default (off), not as a can't-run advisory", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ flags: { enableClientConnections: false } }),
            resourceServer(),
        ]);
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations).toEqual([]);
    });

    it("blocks DCR without a default third-party grant", async () => {
        const outcome = await runStackPolicy(policy, [dcrOn(), resourceServer(), apiScopes()]);
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("dynamic-client-registration-guardrails");
        expect(outcome.violations[0].message).toContain(
            `declares no ClientGrant with defaultFor "third_party_clients" for the same tenant`,
        );
        expect(outcome.violations[0].urn).toContain("tenant:Tenant::tenant");
    });

    it("counts a DCR flag written as a string or a number as on", async () => {
        for (const value of ["true", "yes", 1]) {
            const outcome = await runStackPolicy(policy, [
                tenant({ flags: { enableDynamicClientRegistration: value } }),
                resourceServer(),
                apiScopes(),
            ]);
            expect(outcome.violations.map((v) => v.message).join("\n")).toContain("declares no ClientGrant");
        }
        const off = await runStackPolicy(policy, [
            tenant({ flags: { enableDynamicClientRegistration: "false" } }),
            resourceServer(),
        ]);
        expect(off.violations).toEqual([]);
    });

    it("blocks a DCR flag taken from another resource (fail closed, not can't-run)", async () => {
        const t = tenant({ flags: { enableDynamicClientRegistration: UNKNOWN.boolean } });
        t.propertyDependencies = { flags: ["urn:pulumi:test::auth0-mcp::auth0:index/client:Client::source"] };
        const outcome = await runStackPolicy(policy, [t, resourceServer()]);
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations[0].message).toContain(
            "flags.enableDynamicClientRegistration is taken from another resource's output",
        );
    });

    it("blocks allowAllScopes (true or a string) on the third-party grant, even with DCR off", async () => {
        for (const allowAllScopes of [true, "true"]) {
            const outcome = await runStackPolicy(policy, [
                tenant(),
                resourceServer(),
                apiScopes(),
                thirdPartyGrant({ allowAllScopes }),
            ]);
            expect(outcome.violations).toHaveLength(1);
            expect(outcome.violations[0].message).toContain(`ClientGrant "third-party-default"`);
            expect(outcome.violations[0].message).toContain("allowAllScopes is on");
        }
    });

    it("names both the grant and the tenant when DCR relies on an unacceptable grant", async () => {
        const outcome = await runStackPolicy(policy, [
            dcrOn(),
            resourceServer(),
            apiScopes(),
            thirdPartyGrant({ scopes: [] }),
        ]);
        const messages = outcome.violations.map((v) => v.message);
        expect(messages).toHaveLength(2);
        expect(messages[0]).toContain("scopes is empty or not set");
        expect(messages[1]).toContain("none of its default third-party ClientGrants");
    });

    it("blocks a default grant to the Management API", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant(),
            thirdPartyGrant({ audience: "https://example-dev.us.auth0.com/api/v2/" }),
        ]);
        expect(outcome.violations[0].message).toContain("is the Auth0 Management API");
    });

    it("blocks a default grant to an audience that is not an MCP API of this stack or of externalApis", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant(),
            thirdPartyGrant({ audience: "https://billing.example.com" }),
        ]);
        expect(outcome.violations[0].message).toContain(
            `audience "https://billing.example.com" is not an MCP API of the same tenant`,
        );
        const external = {
            config: {
                externalApis: [
                    {
                        identifier: "https://billing.example.com",
                        managedIn: "org/apis/dev",
                        signingAlg: "RS256",
                        tokenDialect: "rfc9068_profile",
                        tokenLifetime: 900,
                        scopes: ["tools:read", "tools:call"],
                    },
                ],
            },
        };
        expect(
            (
                await runStackPolicy(
                    policy,
                    [tenant(), thirdPartyGrant({ audience: "https://billing.example.com" })],
                    external,
                )
            ).violations,
        ).toEqual([]);
    });

    it("blocks a default grant whose subjectType is not user, or left to Auth0's default (client)", async () => {
        const client = await runStackPolicy(policy, [
            tenant(),
            resourceServer(),
            apiScopes(),
            thirdPartyGrant({ subjectType: "client" }),
        ]);
        expect(client.violations[0].message).toContain(`subjectType is "client"`);
        const unset = await runStackPolicy(policy, [
            tenant(),
            resourceServer(),
            apiScopes(),
            thirdPartyGrant({ subjectType: undefined }),
        ]);
        expect(unset.previewAdvisory).toBeUndefined();
        expect(unset.violations[0].message).toContain(`subjectType is not set (Auth0's default is "client")`);
    });

    it("blocks scopes the API does not declare", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant(),
            resourceServer(),
            apiScopes(API, ["tools:read"]),
            thirdPartyGrant(),
        ]);
        expect(outcome.violations[0].message).toContain(`scopes "tools:call" are not declared by the API "${API}"`);
    });

    it("does not let an API of another tenant (explicit provider) satisfy a grant of this tenant", async () => {
        const api = resourceServer();
        api.provider = OTHER_TENANT;
        const scopes = apiScopes();
        scopes.provider = OTHER_TENANT;
        const outcome = await runStackPolicy(policy, [dcrOn(), api, scopes, thirdPartyGrant()]);
        expect(outcome.violations.map((v) => v.message).join("\n")).toContain("is not an MCP API of the same tenant");
    });

    it("blocks the permissive DCR security mode in any case, and accepts strict or unset", async () => {
        const stack = [resourceServer(), apiScopes(), thirdPartyGrant()];
        const permissive = await runStackPolicy(policy, [
            dcrOn({ dynamicClientRegistrationSecurityMode: "Permissive" }),
            ...stack,
        ]);
        expect(permissive.violations).toHaveLength(1);
        expect(permissive.violations[0].message).toContain(`dynamicClientRegistrationSecurityMode "Permissive"`);
        expect(
            (await runStackPolicy(policy, [dcrOn({ dynamicClientRegistrationSecurityMode: "strict" }), ...stack]))
                .violations,
        ).toEqual([]);
        expect((await runStackPolicy(policy, [dcrOn(), ...stack])).violations).toEqual([]);
    });

    it("blocks a grant whose defaultFor comes from another resource", async () => {
        const grant = thirdPartyGrant({ defaultFor: UNKNOWN.string });
        grant.propertyDependencies = { defaultFor: [urnOf(tenant())] };
        const outcome = await runStackPolicy(policy, [tenant(), grant]);
        expect(outcome.violations[0].message).toContain("defaultFor is taken from another resource's output");
    });

    it("supports a split layout through config: a tenant-only stack with DCR on names the stack that declares the grants", async () => {
        const blocked = await runStackPolicy(policy, [dcrOn()]);
        expect(blocked.violations[0].message).toContain("set defaultGrantsManagedIn");
        const split = await runStackPolicy(policy, [dcrOn()], {
            config: { defaultGrantsManagedIn: "acme/mcp-apis/prod" },
        });
        expect(split.violations).toEqual([]);
    });
});
