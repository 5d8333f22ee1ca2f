import { describe, expect, it } from "vitest";
import { clientGrantTypes as policy } from "../../policy/policies/client-grant-types";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { UNKNOWN, runResourcePolicy, type FakeResource } from "./helpers";

function client(props: Record<string, unknown> = {}, name = "web-app"): FakeResource {
    return {
        type: AUTH0_TYPES.client,
        name,
        props: {
            name: "Web app",
            appType: "regular_web",
            grantTypes: ["authorization_code", "refresh_token"],
            refreshToken: {
                rotationType: "rotating",
                expirationType: "expiring",
                tokenLifetime: 86_400,
                infiniteTokenLifetime: false,
                leeway: 0,
            },
            ...props,
        },
    };
}

describe("client-grant-types", () => {
    it("lets an authorization-code client with expiring, rotating refresh tokens through", async () => {
        expect((await runResourcePolicy(policy, client())).violations).toEqual([]);
        expect(
            (await runResourcePolicy(policy, client({ grantTypes: ["client_credentials"], refreshToken: undefined })))
                .violations,
        ).toEqual([]);
    });

    it("blocks the implicit and password grants", async () => {
        const outcome = await runResourcePolicy(
            policy,
            client({
                grantTypes: ["authorization_code", "implicit", "http://auth0.com/oauth/grant-type/password-realm"],
            }),
        );
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("client-grant-types");
        expect(outcome.violations[0].message).toContain(
            `Client "web-app": grantTypes includes "implicit", "http://auth0.com/oauth/grant-type/password-realm"`,
        );
    });

    it("blocks grant types left to Auth0's defaults (which include implicit) and grant types from another resource", async () => {
        const unset = await runResourcePolicy(policy, client({ grantTypes: undefined }));
        expect(unset.violations[0].message).toContain("grantTypes is not set");
        const unknown = await runResourcePolicy(policy, client({ grantTypes: [UNKNOWN.string] }));
        expect(unknown.previewAdvisory).toBeUndefined();
        expect(unknown.violations[0].message).toContain("grantTypes is taken from another resource's output");
    });

    it("blocks refresh tokens that never expire or live longer than the configured maximum", async () => {
        const never = await runResourcePolicy(policy, client({ refreshToken: undefined }));
        expect(never.violations[0].message).toContain("refreshToken.expirationType is not set");
        const infinite = await runResourcePolicy(
            policy,
            client({
                refreshToken: { expirationType: "expiring", infiniteTokenLifetime: "true", tokenLifetime: 3600 },
            }),
        );
        expect(infinite.violations[0].message).toContain("refreshToken.infiniteTokenLifetime is on");
        const long = await runResourcePolicy(policy, client(), { config: { maxRefreshTokenLifetimeSeconds: 3600 } });
        expect(long.violations[0].message).toContain(
            "refreshToken.tokenLifetime 86400 exceeds the maximum of 3600 seconds",
        );
    });

    it("skips the clients exemptClients names", async () => {
        expect(
            (
                await runResourcePolicy(policy, client({ grantTypes: ["password"] }), {
                    config: { exemptClients: ["web-app"] },
                })
            ).violations,
        ).toEqual([]);
    });
});
