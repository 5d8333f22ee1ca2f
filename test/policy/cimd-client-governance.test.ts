import { describe, expect, it } from "vitest";
import { validatePolicyConfig } from "../../src/check/policy-config-validation";
import { cimdClientGovernance as policy } from "../../policy/policies/cimd-client-governance";
import { clientCimd, FUTURE_DATE } from "./fixtures";
import { UNKNOWN, runResourcePolicy } from "./helpers";

const config = { allowedMetadataDomains: ["example.com"] };

/** The one violation's message (every problem of a client is reported together), or undefined when it passes. */
async function message(
    resource: ReturnType<typeof clientCimd>,
    options: Record<string, unknown> = config,
): Promise<string | undefined> {
    const outcome = await runResourcePolicy(policy, resource, { config: options });
    expect(outcome.previewAdvisory).toBeUndefined();
    expect(outcome.violations.length).toBeLessThanOrEqual(1);
    outcome.violations.forEach((v) => expect(v.policyName).toBe("cimd-client-governance"));
    return outcome.violations[0]?.message;
}

describe("cimd-client-governance: metadata URL and allowlist", () => {
    it("lets an approved client on an allowlisted subdomain through", async () => {
        expect(await message(clientCimd())).toBeUndefined();
    });

    it("fails closed without an allowlist and names the setting to add", async () => {
        expect(await message(clientCimd(), {})).toContain(`add "allowedMetadataDomains"`);
    });

    it("blocks a host that only ends with the allowlisted letters", async () => {
        expect(await message(clientCimd({ externalClientId: "https://evilexample.com/client.json" }))).toContain(
            `metadata host "evilexample.com" is not on allowedMetadataDomains [example.com]`,
        );
    });

    it("blocks http and a URL without a path", async () => {
        expect(await message(clientCimd({ externalClientId: "http://app.example.com/client.json" }))).toContain(
            `externalClientId "http://app.example.com/client.json" must use https`,
        );
        expect(await message(clientCimd({ externalClientId: "https://app.example.com/" }))).toContain(
            "must have a path naming the document",
        );
    });

    it.each([
        ["https://app.example.com/c.json?v=1", "must not have a query string"],
        ["https://app.example.com/a/../c.json", "must not contain . or .. path segments"],
        ["https://App.example.com/c.json", "must have a lowercase scheme and host"],
        ["https://evil.test\\@app.example.com/c.json", "contains a backslash"],
        ["https://app.example.com@evil.test/c.json", "must not contain credentials"],
        ["https://app.ex%61mple.com/c.json", "percent-encoded host"],
        ["https://xn--pp-8cd.example.com/c.json", "punycode (xn--) host"],
        ["https://93.184.216.34/c.json", "IP address as host"],
        ["https://app.example.com:443/c.json", "default port :443"],
    ])("refuses the ambiguous URL %s, which the component refuses too (%s)", async (url, why) => {
        expect(await message(clientCimd({ externalClientId: url }))).toContain(why);
    });

    it("reports an allowlist entry that is a bare TLD or public suffix as a config error, and matches nothing with it", async () => {
        const text = await message(clientCimd(), { allowedMetadataDomains: ["com", "example.com"] });
        expect(text).toContain(
            `policy config cimd-client-governance.allowedMetadataDomains.0: "com" is a bare top-level domain`,
        );
        expect(text).not.toContain("is not on allowedMetadataDomains");
        const suffix = await message(clientCimd({ externalClientId: "https://evil.github.io/c.json" }), {
            allowedMetadataDomains: ["github.io"],
        });
        expect(suffix).toContain(`"github.io" is a public suffix`);
        expect(suffix).toContain(`metadata host "evil.github.io" is not on allowedMetadataDomains [github.io]`);
    });
});

describe("cimd-client-governance: approval metadata", () => {
    it("blocks missing owner and approval, and a past review date", async () => {
        const text = await message(clientCimd({ clientMetadata: { mcp_review_by: "2000-01-01" } }, "old"));
        expect(text).toContain(`ClientCimd "old"`);
        expect(text).toContain("clientMetadata.mcp_owner is not set");
        expect(text).toContain("clientMetadata.mcp_approval_ref is not set");
        expect(text).toContain(`clientMetadata.mcp_review_by "2000-01-01" has passed`);
    });

    it("rejects an impossible review date and, by default, a missing one", async () => {
        const bad = await message(
            clientCimd({ clientMetadata: { mcp_owner: "a", mcp_approval_ref: "b", mcp_review_by: "2999-02-30" } }),
        );
        expect(bad).toContain(`"2999-02-30" is not a YYYY-MM-DD date`);
        const missing = { mcp_owner: "a", mcp_approval_ref: "b" };
        expect(await message(clientCimd({ clientMetadata: missing }))).toContain(
            "clientMetadata.mcp_review_by is not set (YYYY-MM-DD)",
        );
        expect(
            await message(clientCimd({ clientMetadata: missing }), { ...config, requireReviewBy: false }),
        ).toBeUndefined();
        expect(FUTURE_DATE > new Date().toISOString()).toBe(true);
    });
});

// Mirrors terraform-provider-auth0 v1.53.0 internal/auth0/client/resource_cimd.go, cimdClientSchema: grant_types
// StringInSlice{authorization_code, refresh_token}, oidc_conformant validateBoolEquals(true),
// refresh_token.infinite_idle_token_lifetime validateBoolEquals(false) (the provider's Check refuses these first in
// a real preview); skip_non_verifiable_callback_uri_confirmation_prompt, redirection_policy (allow_always |
// open_redirect_protection), refresh_token.infinite_token_lifetime and rotation_type are unconstrained there.
describe("cimd-client-governance: settings that widen the client", () => {
    it.each([
        [
            { skipNonVerifiableCallbackUriConfirmationPrompt: true },
            "skipNonVerifiableCallbackUriConfirmationPrompt is true: it hides the warning",
        ],
        [
            { skipNonVerifiableCallbackUriConfirmationPrompt: "true" },
            `skipNonVerifiableCallbackUriConfirmationPrompt is "true"`,
        ],
        [
            { redirectionPolicy: "allow_always" },
            `redirectionPolicy "allow_always" lets Auth0 redirect to the client's callback on errors`,
        ],
        [
            { grantTypes: ["authorization_code", "client_credentials"] },
            `grantTypes "client_credentials" is not allowed for a CIMD client`,
        ],
        [{ grantTypes: ["implicit", "password"] }, `grantTypes "implicit", "password" are not allowed`],
        [{ oidcConformant: false }, "oidcConformant is false: a CIMD client must stay OIDC-conformant"],
        [{ refreshToken: { infiniteTokenLifetime: true } }, "refreshToken.infiniteTokenLifetime is true"],
        [{ refreshToken: { infiniteIdleTokenLifetime: "yes" } }, `refreshToken.infiniteIdleTokenLifetime is "yes"`],
        [
            { refreshToken: { rotationType: "non-rotating" } },
            `refreshToken.rotationType "non-rotating" lets a stolen refresh token be replayed`,
        ],
    ])("blocks %j", async (props, why) => {
        expect(await message(clientCimd(props))).toContain(why);
    });

    it("lets the safe values and Auth0's defaults through", async () => {
        const safe = {
            skipNonVerifiableCallbackUriConfirmationPrompt: false,
            redirectionPolicy: "open_redirect_protection",
            grantTypes: ["authorization_code", "refresh_token"],
            oidcConformant: true,
            refreshToken: {
                rotationType: "rotating",
                expirationType: "expiring",
                infiniteTokenLifetime: false,
                infiniteIdleTokenLifetime: false,
                tokenLifetime: 86400,
            },
            requireProofOfPossession: true,
        };
        expect(await message(clientCimd(safe))).toBeUndefined();
    });
});

describe("cimd-client-governance: unknown values at preview fail closed", () => {
    it("blocks a metadata URL taken from another resource, never the can't-run advisory", async () => {
        const text = await message(clientCimd({ externalClientId: UNKNOWN.string }, "dynamic"));
        expect(text).toContain(`ClientCimd "dynamic" (externalClientId unknown at preview)`);
        expect(text).toContain(
            "externalClientId is taken from another resource's output, which is unknown until that resource is deployed, so the rule cannot judge it and blocks",
        );
    });

    it("blocks approval metadata and widening settings taken from another resource", async () => {
        const text = await message(
            clientCimd({
                clientMetadata: { mcp_owner: UNKNOWN.string, mcp_approval_ref: "SEC-1", mcp_review_by: UNKNOWN.string },
                skipNonVerifiableCallbackUriConfirmationPrompt: UNKNOWN.boolean,
                refreshToken: UNKNOWN.string,
            }),
            { ...config, requireReviewBy: false },
        );
        expect(text).toContain("clientMetadata.mcp_owner is taken from another resource's output");
        expect(text).toContain("clientMetadata.mcp_review_by is taken from another resource's output");
        expect(text).toContain(
            "skipNonVerifiableCallbackUriConfirmationPrompt is taken from another resource's output",
        );
        expect(text).toContain("refreshToken.rotationType is taken from another resource's output");
    });
});

describe("cimd-client-governance config", () => {
    it("refuses an empty allowlist and wildcard or upper-case entries in the schema", () => {
        expect(validatePolicyConfig(policy, config).errors).toEqual([]);
        expect(validatePolicyConfig(policy, { allowedMetadataDomains: [] }).errors).toEqual([
            "cimd-client-governance: allowedMetadataDomains: must NOT have fewer than 1 items",
        ]);
        expect(validatePolicyConfig(policy, { allowedMetadataDomains: ["*.example.com"] }).errors).toEqual([
            `cimd-client-governance: allowedMetadataDomains.0: must match pattern "^[a-z0-9.-]+$"`,
        ]);
    });
});
