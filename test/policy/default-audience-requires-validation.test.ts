import { describe, expect, it } from "vitest";
import { defaultAudienceRequiresValidation as policy } from "../../policy/policies/default-audience-requires-validation";
import { resourceServer, tenant } from "./fixtures";
import { UNKNOWN, runStackPolicy, urnOf } from "./helpers";

const AUDIENCE = "https://mcp.example.com/mcp";

describe("default-audience-requires-validation", () => {
    it("lets a default audience through that names a validatable API exactly", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({ identifier: AUDIENCE }),
        ]);
        expect(outcome.violations).toEqual([]);
    });

    it("ignores tenants without a default audience", async () => {
        const outcome = await runStackPolicy(policy, [tenant(), resourceServer({ signingAlg: "HS256" })]);
        expect(outcome.violations).toEqual([]);
    });

    it("blocks a default audience whose API has no declaration anywhere", async () => {
        const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: AUDIENCE })]);
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("default-audience-requires-validation");
        expect(outcome.violations[0].message).toContain(`Tenant "tenant" sets defaultAudience "${AUDIENCE}"`);
        expect(outcome.violations[0].message).toContain(
            "no ResourceServer of the same tenant in this stack has that exact identifier",
        );
        expect(outcome.violations[0].urn).toContain("tenant:Tenant::tenant");
    });

    it("reports an identifier with a trailing slash as a near miss, showing both values", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({ identifier: `${AUDIENCE}/` }, "api"),
        ]);
        expect(outcome.violations).toHaveLength(1);
        const { message } = outcome.violations[0];
        expect(message).toContain(`defaultAudience "${AUDIENCE}"`);
        expect(message).toContain(`ResourceServer "api" identifier "${AUDIENCE}/"`);
        expect(message).toContain("differ only in case or a trailing slash");
    });

    it("reports a case difference as a near miss", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ defaultAudience: "https://MCP.example.com/mcp" }),
            resourceServer({ identifier: AUDIENCE }),
        ]);
        expect(outcome.violations[0].message).toContain("differ only in case or a trailing slash");
    });

    it("blocks lowercase hs256 on the default-audience API", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({ identifier: AUDIENCE, signingAlg: "hs256" }),
        ]);
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].message).toContain(
            `signingAlg "hs256" is not an allowed asymmetric algorithm (allowed: RS256, PS256)`,
        );
    });

    it("accepts an upper-case JWT dialect, as the provider does", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({ identifier: AUDIENCE, tokenDialect: "RFC9068_PROFILE_AUTHZ" }),
        ]);
        expect(outcome.violations).toEqual([]);
    });

    it("blocks token encryption, a missing dialect and a lifetime above the configured maximum", async () => {
        const outcome = await runStackPolicy(
            policy,
            [
                tenant({ defaultAudience: AUDIENCE }),
                resourceServer({
                    identifier: AUDIENCE,
                    tokenDialect: undefined,
                    tokenLifetime: 7200,
                    tokenEncryption: {
                        format: "compact-nested-jwe",
                        encryptionKey: { name: "k", alg: "RSA-OAEP-256", pem: "x" },
                    },
                }),
            ],
            { config: { maxTokenLifetimeSeconds: 3600 } },
        );
        const { message } = outcome.violations[0];
        expect(message).toContain("tokenDialect is not set");
        expect(message).toContain("tokenEncryption is on");
        expect(message).toContain("tokenLifetime 7200 exceeds the maximum of 3600 seconds");
        expect(message).not.toContain("pem");
    });

    it("treats a disabled or empty tokenEncryption block as no encryption", async () => {
        for (const tokenEncryption of [{ disable: true, format: "compact-nested-jwe" }, {}]) {
            const outcome = await runStackPolicy(policy, [
                tenant({ defaultAudience: AUDIENCE }),
                resourceServer({ identifier: AUDIENCE, tokenEncryption }),
            ]);
            expect(outcome.violations).toEqual([]);
        }
    });

    it("accepts an API managed in another stack when externalApis declares validatable settings", async () => {
        const externalApis = [
            {
                identifier: AUDIENCE,
                managedIn: "org/mcp-apis/prod",
                signingAlg: "PS256",
                tokenDialect: "rfc9068_profile",
                tokenLifetime: 900,
                userAuthorizationPolicy: "require_client_grant",
            },
        ];
        const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: AUDIENCE })], {
            config: { externalApis },
        });
        expect(outcome.violations).toEqual([]);
    });

    it("blocks an external API whose declared settings cannot be validated", async () => {
        const externalApis = [
            {
                identifier: AUDIENCE,
                managedIn: "org/mcp-apis/prod",
                signingAlg: "HS256",
                tokenDialect: "access_token",
                tokenLifetime: 900,
            },
        ];
        const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: AUDIENCE })], {
            config: { externalApis },
        });
        expect(outcome.violations[0].message).toContain(`managed in "org/mcp-apis/prod"`);
        expect(outcome.violations[0].message).toContain(`signingAlg "HS256" is not an allowed`);
    });

    it("narrows the algorithm allowlist from config", async () => {
        const outcome = await runStackPolicy(
            policy,
            [tenant({ defaultAudience: AUDIENCE }), resourceServer({ identifier: AUDIENCE, signingAlg: "RS256" })],
            { config: { allowedSigningAlgs: ["PS256"] } },
        );
        expect(outcome.violations[0].message).toContain(
            `signingAlg "RS256" is not an allowed asymmetric algorithm (allowed: PS256)`,
        );
    });

    it("fails closed, with its own message, when the default audience is taken from another resource", async () => {
        const t = tenant({ defaultAudience: UNKNOWN.string });
        t.propertyDependencies = { defaultAudience: [urnOf(resourceServer())] };
        const outcome = await runStackPolicy(policy, [t, resourceServer()]);
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("default-audience-requires-validation");
        expect(outcome.violations[0].message).toContain("defaultAudience is taken from another resource's output");
        expect(outcome.violations[0].message).toContain("Write defaultAudience as the literal identifier");
    });

    it("leaves a default audience the program does not set to the tenant (planned output unknown, no advisory)", async () => {
        const outcome = await runStackPolicy(policy, [tenant(), resourceServer({ signingAlg: "HS256" })]);
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations).toEqual([]);
    });

    it("requires an RFC 9068 dialect for the default-audience API", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({ identifier: AUDIENCE, tokenDialect: "access_token_authz" }),
        ]);
        expect(outcome.violations[0].message).toContain(`tokenDialect "access_token_authz" is not an RFC 9068 dialect`);
    });

    it("blocks a default-audience API open to every application (user policy allow_all, or left to Auth0's default)", async () => {
        const open = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({ identifier: AUDIENCE, subjectTypeAuthorization: { user: { policy: "allow_all" } } }),
        ]);
        expect(open.violations[0].message).toContain(
            `subjectTypeAuthorization.user.policy "allow_all" lets every application`,
        );
        const unset = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({ identifier: AUDIENCE, subjectTypeAuthorization: undefined }),
        ]);
        expect(unset.previewAdvisory).toBeUndefined();
        expect(unset.violations[0].message).toContain(
            `subjectTypeAuthorization.user.policy is not set, and Auth0's default "allow_all"`,
        );
    });

    it("requires explicit signing, dialect and lifetime on the default-audience API (planned outputs leave them unknown)", async () => {
        const outcome = await runStackPolicy(policy, [
            tenant({ defaultAudience: AUDIENCE }),
            resourceServer({
                identifier: AUDIENCE,
                signingAlg: undefined,
                tokenDialect: undefined,
                tokenLifetime: undefined,
            }),
        ]);
        expect(outcome.previewAdvisory).toBeUndefined();
        const { message } = outcome.violations[0];
        expect(message).toContain("signingAlg is not set");
        expect(message).toContain("tokenDialect is not set");
        expect(message).toContain("tokenLifetime is not set");
    });

    it("blocks lifetimes that are not whole numbers of seconds within bounds", async () => {
        for (const [tokenLifetime, text] of [
            [0, "tokenLifetime 0 is below 60 seconds"],
            [-5, "tokenLifetime -5 is below 60 seconds"],
            [Number.NaN, "tokenLifetime NaN is not a whole number"],
            ["3600", `tokenLifetime "3600" is not a number of seconds`],
        ] as const) {
            const outcome = await runStackPolicy(policy, [
                tenant({ defaultAudience: AUDIENCE }),
                resourceServer({ identifier: AUDIENCE, tokenLifetime }),
            ]);
            expect(outcome.violations[0].message).toContain(text);
        }
    });

    it("is satisfied only by an API of the same tenant (explicit providers)", async () => {
        const api = resourceServer({ identifier: AUDIENCE });
        api.provider = "urn:pulumi:test::auth0-mcp::pulumi:providers:auth0::other-tenant";
        const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: AUDIENCE }), api]);
        expect(outcome.violations[0].message).toContain("no ResourceServer of the same tenant");
    });
});
