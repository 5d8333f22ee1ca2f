import { describe, expect, it } from "vitest";
import { mcpApiTokenSettings as policy } from "../../policy/policies/mcp-api-token-settings";
import { resourceServer, tenant } from "./fixtures";
import { UNKNOWN, runResourcePolicy } from "./helpers";

describe("mcp-api-token-settings", () => {
  it("lets the dev MCP API through", async () => {
    expect((await runResourcePolicy(policy, resourceServer())).violations).toEqual([]);
  });

  it("ignores other resource types", async () => {
    expect((await runResourcePolicy(policy, tenant())).violations).toEqual([]);
  });

  it("blocks lowercase hs256", async () => {
    const outcome = await runResourcePolicy(policy, resourceServer({ signingAlg: "hs256" }));
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].policyName).toBe("mcp-api-token-settings");
    expect(outcome.violations[0].message).toContain(`ResourceServer "mcp-api" (identifier "https://mcp.dev.example.com/mcp")`);
    expect(outcome.violations[0].message).toContain(`signingAlg "hs256" is not an allowed asymmetric algorithm`);
  });

  it("requires enforcePolicies for an upper-case authz dialect", async () => {
    const outcome = await runResourcePolicy(policy, resourceServer({ tokenDialect: "RFC9068_PROFILE_AUTHZ", enforcePolicies: false }));
    expect(outcome.violations).toHaveLength(1);
    expect(outcome.violations[0].message).toContain(`tokenDialect "RFC9068_PROFILE_AUTHZ" carries a permissions claim`);
    expect(outcome.violations[0].message).toContain("set enforcePolicies: true");
  });

  it("accepts an upper-case authz dialect with enforcePolicies", async () => {
    expect((await runResourcePolicy(policy, resourceServer({ tokenDialect: "RFC9068_PROFILE_AUTHZ" }))).violations).toEqual([]);
  });

  it("accepts a non-authz dialect without enforcePolicies", async () => {
    expect((await runResourcePolicy(policy, resourceServer({ tokenDialect: "rfc9068_profile", enforcePolicies: undefined }))).violations).toEqual([]);
  });

  it("blocks a trailing slash and an uppercase host, naming the canonical form", async () => {
    const outcome = await runResourcePolicy(policy, resourceServer({ identifier: "https://MCP.example.com/mcp/" }));
    expect(outcome.violations[0].message).toContain(`use "https://mcp.example.com/mcp"`);
    expect(outcome.violations[0].message).toContain("has a trailing slash");
  });

  it("blocks a non-https identifier unless it is exempt", async () => {
    const legacy = resourceServer({ identifier: "urn:legacy-api" });
    expect((await runResourcePolicy(policy, legacy)).violations[0].message).toContain(`identifier "urn:legacy-api" is not a usable MCP resource URI`);
    expect((await runResourcePolicy(policy, legacy, { config: { exemptIdentifiers: ["urn:legacy-api"] } })).violations).toEqual([]);
  });

  it("accepts http://localhost only when allowLocalhostHttp is on", async () => {
    const local = resourceServer({ identifier: "http://localhost:3000/mcp" });
    expect((await runResourcePolicy(policy, local)).violations).toHaveLength(1);
    expect((await runResourcePolicy(policy, local, { config: { allowLocalhostHttp: true } })).violations).toEqual([]);
  });

  it("requires explicit settings and bounds both lifetimes", async () => {
    const outcome = await runResourcePolicy(
      policy,
      resourceServer({ signingAlg: undefined, tokenDialect: undefined, tokenLifetime: 7200, tokenLifetimeForWeb: 7200 }),
      { config: { maxTokenLifetimeSeconds: 3600 } },
    );
    const { message } = outcome.violations[0];
    expect(message).toContain("signingAlg is not set");
    expect(message).toContain("tokenDialect is not set");
    expect(message).toContain("tokenLifetime 7200 exceeds the maximum of 3600 seconds");
    expect(message).toContain("tokenLifetimeForWeb 7200 exceeds the maximum of 3600 seconds");
  });

  it("blocks token encryption without echoing the key", async () => {
    const outcome = await runResourcePolicy(
      policy,
      resourceServer({ tokenEncryption: { format: "compact-nested-jwe", encryptionKey: { name: "k", alg: "RSA-OAEP-256", pem: "SECRET-PEM" } } }),
    );
    expect(outcome.violations[0].message).toContain("tokenEncryption is on");
    expect(outcome.violations[0].message).not.toContain("SECRET-PEM");
  });

  it("does not pass silently on an unknown signing algorithm", async () => {
    const outcome = await runResourcePolicy(policy, resourceServer({ signingAlg: UNKNOWN.string }));
    expect(outcome.previewAdvisory).toContain("string value at .signingAlg can't be known during preview");
  });
});
