import { describe, expect, it } from "vitest";
import { validateApprovedConnections } from "../../policy/facts/connection-identity";
import { validatePolicyConfig } from "../../src/check/policy-config-validation";
import { approvedIdentityProviders as policy } from "../../policy/policies/approved-identity-providers";
import { connection, resourceServer } from "./fixtures";
import { UNKNOWN, runResourcePolicy } from "./helpers";

const approved = { approvedStrategies: ["google-oauth2"], approvedConnections: ["google-oauth2"] };
const ISSUER = "https://login.example.com/";
const corpPin = { name: "corp-oidc", strategy: "oidc", issuer: ISSUER };
const prodLike = { requirePinnedConnections: true, approvedConnections: [corpPin] };

function corpOidc(options: Record<string, unknown> = { issuer: ISSUER }, props: Record<string, unknown> = {}) {
    return connection({ name: "corp-oidc", strategy: "oidc", options, ...props }, "corp-oidc");
}

async function messages(resource: ReturnType<typeof connection>, config: Record<string, unknown>): Promise<string[]> {
    const outcome = await runResourcePolicy(policy, resource, { config });
    expect(outcome.previewAdvisory).toBeUndefined();
    outcome.violations.forEach((v) => expect(v.policyName).toBe("approved-identity-providers"));
    return outcome.violations.map((v) => v.message);
}

describe("approved-identity-providers: fixed-provider strategies", () => {
    it("lets an approved strategy and connection name through", async () => {
        expect(await messages(connection(), approved)).toEqual([]);
    });

    it("ignores connections that are not promoted, and other resource types", async () => {
        expect(await messages(connection({ isDomainConnection: false, strategy: "auth0" }), {})).toEqual([]);
        expect(await messages(connection({ isDomainConnection: "false" }), {})).toEqual([]);
        expect(await messages(resourceServer(), {})).toEqual([]);
    });

    it("fails closed without config and names the setting to add", async () => {
        const [message, ...rest] = await messages(connection(), {});
        expect(rest).toEqual([]);
        expect(message).toContain("no identity providers are approved for promotion");
        expect(message).toContain(`Add "approvedStrategies"`);
    });

    it("blocks an approved connection name with an unapproved strategy", async () => {
        const [message] = await messages(connection({ name: "google-oauth2", strategy: "github" }), approved);
        expect(message).toContain(`strategy "github" is not in approvedStrategies [google-oauth2]`);
    });

    it("blocks an approved strategy under a connection name that is not listed", async () => {
        const [message] = await messages(connection({ name: "google-shadow" }), approved);
        expect(message).toContain(`connection name "google-shadow" is not in approvedConnections [google-oauth2]`);
    });

    it("checks only strategies when approvedConnections is not given", async () => {
        expect(await messages(connection({ name: "any-name" }), { approvedStrategies: ["google-oauth2"] })).toEqual([]);
    });

    it("treats a promotion flag given as a string or any non-false value as on", async () => {
        for (const isDomainConnection of ["true", "yes", 1]) {
            const [message] = await messages(connection({ isDomainConnection, strategy: "github" }), approved);
            expect(message).toContain(`sets isDomainConnection: ${JSON.stringify(isDomainConnection)}`);
            expect(message).toContain(`strategy "github" is not in approvedStrategies`);
        }
    });
});

// Which options identify each strategy's provider: terraform-provider-auth0 v1.53.0
// internal/auth0/connection/expand.go, expandConnectionOptionsOIDC (issuer, discovery_url, jwks_uri, endpoints),
// expandConnectionOptionsSAML (sign_in_endpoint, metadata_url, metadata_xml), expandConnectionOptionsAzureAD
// (domain, tenant_domain, waad_common_endpoint), expandConnectionOptionsOkta, …ADFS, …PingFederate, …GoogleApps.
describe("approved-identity-providers: providers defined by their issuer", () => {
    it("blocks an oidc connection approved only by strategy, and shows the pinned entry to add", async () => {
        const [message] = await messages(corpOidc(), { approvedStrategies: ["oidc"] });
        expect(message).toContain(
            `Connection "corp-oidc" (name "corp-oidc", strategy "oidc") sets isDomainConnection: true, which is not approved:`,
        );
        expect(message).toContain(
            `strategy "oidc" is in approvedStrategies, but approving the strategy does not approve this connection`,
        );
        expect(message).toContain(
            "an oidc connection is a different identity provider per options.issuer / options.discoveryUrl",
        );
        expect(message).toContain(
            `add {"name":"corp-oidc","strategy":"oidc","issuer":"${ISSUER}"} to approvedConnections`,
        );
    });

    it("blocks an oidc connection whose name is approved as a bare string", async () => {
        const [message] = await messages(corpOidc(), {
            approvedStrategies: ["oidc"],
            approvedConnections: ["corp-oidc"],
        });
        expect(message).toContain("must be approved by name and pinned");
    });

    it("lets a pinned oidc connection through, matching issuer host case and trailing slash", async () => {
        expect(await messages(corpOidc(), prodLike)).toEqual([]);
        expect(await messages(corpOidc({ issuer: "https://LOGIN.example.com" }), prodLike)).toEqual([]);
    });

    it("blocks an approved name and strategy pointing at another issuer", async () => {
        const [message] = await messages(corpOidc({ issuer: "https://login.attacker.test/" }), prodLike);
        expect(message).toContain(
            `options.issuer is "https://login.attacker.test/" but the approval in approvedConnections pins "${ISSUER}"`,
        );
    });

    it("blocks identity options the approval does not pin (a jwksUri elsewhere) and a connection without its issuer", async () => {
        const [jwks] = await messages(
            corpOidc({ issuer: ISSUER, jwksUri: "https://keys.attacker.test/jwks.json" }),
            prodLike,
        );
        expect(jwks).toContain(
            `options.jwksUri is "https://keys.attacker.test/jwks.json" but the approval in approvedConnections does not pin it`,
        );
        const [missing] = await messages(corpOidc({}), prodLike);
        expect(missing).toContain(`options.issuer is not set but the approval in approvedConnections pins "${ISSUER}"`);
    });

    it("blocks a pinned name used with another strategy", async () => {
        const [message] = await messages(corpOidc({ issuer: ISSUER }, { strategy: "samlp" }), prodLike);
        expect(message).toContain(`approvedConnections approves "corp-oidc" as strategy "oidc", not "samlp"`);
    });

    it("pins samlp by sign-in endpoint and refuses inline metadata XML it cannot pin", async () => {
        const pin = { name: "corp-saml", strategy: "samlp", signInEndpoint: "https://idp.example.com/sso" };
        const saml = (options: Record<string, unknown>) =>
            connection({ name: "corp-saml", strategy: "samlp", options }, "corp-saml");
        const config = { approvedConnections: [pin] };
        expect(await messages(saml({ signInEndpoint: "https://idp.example.com/sso/" }), config)).toEqual([]);
        const [xml] = await messages(
            saml({ signInEndpoint: "https://idp.example.com/sso", metadataXml: "<EntityDescriptor/>" }),
            config,
        );
        expect(xml).toContain("options.metadataXml is set: inline metadata overrides the pinned endpoints");
    });

    it("blocks a waad connection that opens the common (multi-tenant) endpoint without pinning it", async () => {
        const pin = { name: "corp-entra", strategy: "waad", tenantDomain: "example.onmicrosoft.com" };
        const entra = (options: Record<string, unknown>) =>
            connection({ name: "corp-entra", strategy: "waad", options }, "corp-entra");
        expect(
            await messages(entra({ tenantDomain: "Example.onmicrosoft.com" }), { approvedConnections: [pin] }),
        ).toEqual([]);
        const [message] = await messages(
            entra({ tenantDomain: "example.onmicrosoft.com", waadCommonEndpoint: "true" }),
            { approvedConnections: [pin] },
        );
        expect(message).toContain(
            `options.waadCommonEndpoint is "true" but the approval in approvedConnections does not pin it`,
        );
    });

    it("requires a named approval for a strategy it has no pinnable option for", async () => {
        const [message] = await messages(connection({ name: "corp-ldap", strategy: "ad" }), {
            approvedStrategies: ["ad"],
        });
        expect(message).toContain(
            `an ad connection's provider is not fixed by its strategy, so it must be approved by name and pinned`,
        );
        expect(
            await messages(connection({ name: "corp-ldap", strategy: "ad" }), {
                approvedConnections: [{ name: "corp-ldap", strategy: "ad" }],
            }),
        ).toEqual([]);
    });
});

describe("approved-identity-providers: requirePinnedConnections (prod)", () => {
    it("blocks a social connection approved by strategy when pins are required", async () => {
        const [message] = await messages(connection(), { ...approved, requirePinnedConnections: true });
        expect(message).toContain(
            `requirePinnedConnections is on and no approvedConnections entry approves "google-oauth2"`,
        );
        expect(message).toContain(`add {"name":"google-oauth2","strategy":"google-oauth2"} to approvedConnections`);
    });

    it("lets a social connection through with a pinned name and strategy entry", async () => {
        const config = {
            requirePinnedConnections: true,
            approvedConnections: [{ name: "google-oauth2", strategy: "google-oauth2" }],
        };
        expect(await messages(connection(), config)).toEqual([]);
    });
});

describe("approved-identity-providers: unknown values at preview fail closed", () => {
    it("blocks when the promotion flag is unknown and the connection is not approved, never the can't-run advisory", async () => {
        const [message] = await messages(
            connection({ isDomainConnection: UNKNOWN.boolean, strategy: "github" }),
            approved,
        );
        expect(message).toContain("may be promoted (isDomainConnection is taken from another resource's output");
        expect(message).toContain("set it to a literal true or false");
    });

    it("lets an unknown promotion flag through when the connection is approved either way", async () => {
        expect(await messages(connection({ isDomainConnection: UNKNOWN.boolean }), approved)).toEqual([]);
    });

    it("blocks an issuer or a name taken from another resource", async () => {
        const [issuer] = await messages(corpOidc({ issuer: UNKNOWN.string }), prodLike);
        expect(issuer).toContain("options.issuer is taken from another resource's output");
        expect(issuer).toContain("set options.issuer to a literal value that matches approvedConnections");
        const [options] = await messages(corpOidc(UNKNOWN.string as unknown as Record<string, unknown>), prodLike);
        expect(options).toContain("options.issuer is taken from another resource's output");
        const [name] = await messages(connection({ name: UNKNOWN.string }), approved);
        expect(name).toContain(
            "name is taken from another resource's output, which is unknown until that resource is deployed, so the rule cannot tell which provider is promoted and blocks; set name to a literal value",
        );
    });
});

describe("approved-identity-providers config", () => {
    it("accepts names and pinned entries, and refuses empty lists, wildcards and unknown keys in the schema", () => {
        expect(validatePolicyConfig(policy, prodLike).errors).toEqual([]);
        expect(validatePolicyConfig(policy, approved).errors).toEqual([]);
        expect(validatePolicyConfig(policy, { approvedStrategies: [] }).errors).toEqual([
            "approved-identity-providers: approvedStrategies: must NOT have fewer than 1 items",
        ]);
        expect(validatePolicyConfig(policy, { approvedStrategies: ["*"] }).errors).toEqual([
            `approved-identity-providers: approvedStrategies.0: must match pattern "^[a-z0-9][a-z0-9-]*$"`,
        ]);
        expect(validatePolicyConfig(policy, { approvedConnections: ["corp-*"] }).errors.join("\n")).toContain(
            "approvedConnections.0: must match pattern",
        );
        expect(
            validatePolicyConfig(policy, {
                approvedConnections: [{ name: "corp-oidc", strategy: "oidc", isuer: ISSUER }],
            }).errors,
        ).toEqual(["approved-identity-providers: approvedConnections.0.isuer: is not an allowed property"]);
    });

    it("refuses pins that pin nothing, pin the wrong option or are not https (checks JSON schema cannot express)", () => {
        expect(validateApprovedConnections([corpPin, "google-oauth2"])).toEqual([]);
        expect(validateApprovedConnections([{ name: "corp-oidc", strategy: "oidc" }])).toEqual([
            {
                key: "approvedConnections.0",
                message: expect.stringContaining(
                    "pins no identity provider: an oidc connection trusts whatever its options name, so pin issuer or discoveryUrl",
                ),
            },
        ]);
        expect(
            validateApprovedConnections([
                { name: "corp-oidc", strategy: "oidc", signInEndpoint: "https://idp.example.com/sso" },
            ]).map((p) => p.key),
        ).toEqual(["approvedConnections.0.signInEndpoint", "approvedConnections.0"]);
        expect(validateApprovedConnections([{ ...corpPin, issuer: "http://login.example.com/" }])).toEqual([
            {
                key: "approvedConnections.0.issuer",
                message: `"http://login.example.com/" is not an absolute https URL`,
            },
        ]);
        expect(validateApprovedConnections([])).toEqual([
            { key: "approvedConnections", message: expect.stringContaining("is empty") },
        ]);
    });

    it("reports a config error from the rule too, naming the policy and key", async () => {
        const [message] = await messages(corpOidc(), {
            approvedConnections: [{ name: "corp-oidc", strategy: "oidc" }],
        });
        expect(message).toContain(
            "policy config approved-identity-providers.approvedConnections.0: pins no identity provider",
        );
    });
});
