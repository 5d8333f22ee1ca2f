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
        expect(outcome.violations[0].message).toContain(
            `ResourceServer "mcp-api" (identifier "https://mcp.dev.example.com/mcp")`,
        );
        expect(outcome.violations[0].message).toContain(`signingAlg "hs256" is not an allowed asymmetric algorithm`);
    });

    it("requires enforcePolicies for an upper-case authz dialect", async () => {
        const outcome = await runResourcePolicy(
            policy,
            resourceServer({ tokenDialect: "RFC9068_PROFILE_AUTHZ", enforcePolicies: false }),
        );
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].message).toContain(
            `tokenDialect "RFC9068_PROFILE_AUTHZ" carries a permissions claim`,
        );
        expect(outcome.violations[0].message).toContain("set enforcePolicies: true");
    });

    it("accepts an upper-case authz dialect with enforcePolicies", async () => {
        expect(
            (await runResourcePolicy(policy, resourceServer({ tokenDialect: "RFC9068_PROFILE_AUTHZ" }))).violations,
        ).toEqual([]);
    });

    it("accepts a non-authz dialect without enforcePolicies", async () => {
        expect(
            (
                await runResourcePolicy(
                    policy,
                    resourceServer({ tokenDialect: "rfc9068_profile", enforcePolicies: undefined }),
                )
            ).violations,
        ).toEqual([]);
    });

    it("blocks a trailing slash and an uppercase host, naming the canonical form", async () => {
        const outcome = await runResourcePolicy(policy, resourceServer({ identifier: "https://MCP.example.com/mcp/" }));
        expect(outcome.violations[0].message).toContain(`use "https://mcp.example.com/mcp"`);
        expect(outcome.violations[0].message).toContain("has a trailing slash");
    });

    it("blocks a non-https identifier unless it is exempt", async () => {
        const legacy = resourceServer({ identifier: "urn:legacy-api" });
        expect((await runResourcePolicy(policy, legacy)).violations[0].message).toContain(
            `identifier "urn:legacy-api" is not a usable MCP resource URI`,
        );
        expect(
            (await runResourcePolicy(policy, legacy, { config: { exemptIdentifiers: ["urn:legacy-api"] } })).violations,
        ).toEqual([]);
    });

    it("accepts http://localhost only when allowLocalhostHttp is on", async () => {
        const local = resourceServer({ identifier: "http://localhost:3000/mcp" });
        expect((await runResourcePolicy(policy, local)).violations).toHaveLength(1);
        expect((await runResourcePolicy(policy, local, { config: { allowLocalhostHttp: true } })).violations).toEqual(
            [],
        );
    });

    it("requires explicit settings and bounds both lifetimes", async () => {
        const outcome = await runResourcePolicy(
            policy,
            resourceServer({
                signingAlg: undefined,
                tokenDialect: undefined,
                tokenLifetime: 7200,
                tokenLifetimeForWeb: 7200,
            }),
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
            resourceServer({
                tokenEncryption: {
                    format: "compact-nested-jwe",
                    encryptionKey: { name: "k", alg: "RSA-OAEP-256", pem: "SECRET-PEM" },
                },
            }),
        );
        expect(outcome.violations[0].message).toContain("tokenEncryption is on");
        expect(outcome.violations[0].message).not.toContain("SECRET-PEM");
    });

    it("fails closed with its own message on a signing algorithm taken from another resource (never can't-run)", async () => {
        const outcome = await runResourcePolicy(policy, resourceServer({ signingAlg: UNKNOWN.string }));
        expect(outcome.previewAdvisory).toBeUndefined();
        expect(outcome.violations).toHaveLength(1);
        expect(outcome.violations[0].policyName).toBe("mcp-api-token-settings");
        expect(outcome.violations[0].message).toContain("signingAlg is taken from another resource's output");
    });

    it("blocks lifetimes that are not whole seconds within [60, max]: 0, negative, NaN, strings", async () => {
        for (const [tokenLifetime, text] of [
            [0, "tokenLifetime 0 is below 60 seconds"],
            [-1, "tokenLifetime -1 is below 60 seconds"],
            [Number.NaN, "tokenLifetime NaN is not a whole number"],
            ["3600", `tokenLifetime "3600" is not a number of seconds`],
        ] as const) {
            const outcome = await runResourcePolicy(policy, resourceServer({ tokenLifetime }));
            expect(outcome.violations[0].message).toContain(text);
        }
        const web = await runResourcePolicy(policy, resourceServer({ tokenLifetimeForWeb: 0 }));
        expect(web.violations[0].message).toContain("tokenLifetimeForWeb 0 is below 60 seconds");
    });

    it("counts enforcePolicies written as a string as on", async () => {
        expect((await runResourcePolicy(policy, resourceServer({ enforcePolicies: "true" }))).violations).toEqual([]);
        const off = await runResourcePolicy(policy, resourceServer({ enforcePolicies: false }));
        expect(off.violations[0].message).toContain("set enforcePolicies: true");
    });

    it("judges only the APIs mcpApiIdentifiers names, and always the ones the McpApi component declares", async () => {
        const config = { config: { mcpApiIdentifiers: ["https://mcp.example.com/*"] } };
        const ordinary = resourceServer({ identifier: "https://billing.example.com", signingAlg: "HS256" }, "billing");
        expect((await runResourcePolicy(policy, ordinary, config)).violations).toEqual([]);
        const mcp = resourceServer({ identifier: "https://mcp.example.com/tools", signingAlg: "HS256" }, "tools");
        expect((await runResourcePolicy(policy, mcp, config)).violations[0].message).toContain(`signingAlg "HS256"`);
        const fromComponent = {
            ...resourceServer({ identifier: "https://billing.example.com", signingAlg: "HS256" }, "billing-api"),
            urn: "urn:pulumi:test::auth0-mcp::auth0-mcp:index:McpApi$auth0:index/resourceServer:ResourceServer::billing-api",
        };
        expect((await runResourcePolicy(policy, fromComponent, config)).violations).toHaveLength(1);
        // Without the setting every API is an MCP API (fail closed).
        expect((await runResourcePolicy(policy, ordinary)).violations).toHaveLength(1);
    });
});
