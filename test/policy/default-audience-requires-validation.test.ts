import { describe, expect, it } from "vitest";
import { defaultAudienceRequiresValidation as policy } from "../../policy/policies/default-audience-requires-validation";
import { resourceServer, tenant } from "./fixtures";
import { UNKNOWN, runStackPolicy } from "./helpers";

const AUDIENCE = "https://mcp.example.com/mcp";

describe("default-audience-requires-validation", () => {
  it("lets a default audience through that names a validatable API exactly", async () => {
    const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: AUDIENCE }), resourceServer({ identifier: AUDIENCE })]);
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
    expect(outcome.violations[0].message).toContain("no ResourceServer in this stack has that exact identifier");
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
    expect(outcome.violations[0].message).toContain(`signingAlg "hs256" is not an allowed asymmetric algorithm (allowed: RS256, PS256)`);
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
          tokenEncryption: { format: "compact-nested-jwe", encryptionKey: { name: "k", alg: "RSA-OAEP-256", pem: "x" } },
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
      { identifier: AUDIENCE, managedIn: "org/mcp-apis/prod", signingAlg: "PS256", tokenDialect: "rfc9068_profile", tokenLifetime: 900 },
    ];
    const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: AUDIENCE })], { config: { externalApis } });
    expect(outcome.violations).toEqual([]);
  });

  it("blocks an external API whose declared settings cannot be validated", async () => {
    const externalApis = [
      { identifier: AUDIENCE, managedIn: "org/mcp-apis/prod", signingAlg: "HS256", tokenDialect: "access_token", tokenLifetime: 900 },
    ];
    const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: AUDIENCE })], { config: { externalApis } });
    expect(outcome.violations[0].message).toContain(`managed in "org/mcp-apis/prod"`);
    expect(outcome.violations[0].message).toContain(`signingAlg "HS256" is not an allowed`);
  });

  it("narrows the algorithm allowlist from config", async () => {
    const outcome = await runStackPolicy(
      policy,
      [tenant({ defaultAudience: AUDIENCE }), resourceServer({ identifier: AUDIENCE, signingAlg: "RS256" })],
      { config: { allowedSigningAlgs: ["PS256"] } },
    );
    expect(outcome.violations[0].message).toContain(`signingAlg "RS256" is not an allowed asymmetric algorithm (allowed: PS256)`);
  });

  it("does not pass silently when the default audience is unknown at preview", async () => {
    const outcome = await runStackPolicy(policy, [tenant({ defaultAudience: UNKNOWN.string }), resourceServer()]);
    expect(outcome.violations).toEqual([]);
    expect(outcome.previewAdvisory).toBe(
      "can't run policy 'default-audience-requires-validation' from policy pack 'auth0-mcp@v0.1.0' during preview: " +
        "string value at .defaultAudience can't be known during preview",
    );
  });
});
