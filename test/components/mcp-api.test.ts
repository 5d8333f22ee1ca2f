import { describe, expect, it } from "vitest";
import { McpApi } from "../../src/components/mcp-api/component";
import type { McpApiArgs } from "../../src/components/mcp-api/args";
import { InvalidComponentArgsError } from "../../src/components/problems";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { RecordedResource, resolveDeep, resolvedProps, runUnderMocks } from "../helpers/mocks";
import { defined } from "../helpers/defined";

const BASE: McpApiArgs = {
    identifier: "https://mcp.example.com/mcp",
    tenantDomain: "example.eu.auth0.com",
    scopes: [
        { name: "tools:read", description: "List tools" },
        { name: "tools:call", description: "Call tools" },
    ],
    thirdPartyClientsAllowed: true,
};

async function build(overrides: Partial<McpApiArgs> = {}) {
    let api: McpApi | undefined;
    const run = await runUnderMocks({}, () => {
        api = new McpApi("orders", { ...BASE, ...overrides });
    });
    const byType = (type: string) => run.resources.filter((r) => r.type === type);
    return { run, api, byType };
}

function only(resources: RecordedResource[]): RecordedResource {
    expect(resources).toHaveLength(1);
    return resources[0];
}

async function buildError(
    overrides: Partial<McpApiArgs>,
): Promise<{ error: InvalidComponentArgsError; registered: number }> {
    const { run } = await build(overrides);
    expect(run.error).toBeInstanceOf(InvalidComponentArgsError);
    return { error: run.error as InvalidComponentArgsError, registered: run.registrations.length };
}

describe("McpApi defaults", () => {
    it("declares a component with a resource server, its scopes and a third-party default grant, all children of it", async () => {
        const { run } = await build();
        expect(run.error).toBeUndefined();
        expect(run.resources.map((r) => [r.type, r.name, r.parent])).toEqual([
            ["auth0-mcp:index:McpApi", "orders", undefined],
            [AUTH0_TYPES.resourceServer, "orders-api", "auth0-mcp:index:McpApi::orders"],
            [AUTH0_TYPES.resourceServerScopes, "orders-scopes", "auth0-mcp:index:McpApi::orders"],
            [AUTH0_TYPES.clientGrant, "orders-third-party-default", "auth0-mcp:index:McpApi::orders"],
        ]);
    });

    it("sets every token and consent setting of the resource server explicitly", async () => {
        const { byType } = await build();
        const props = await resolvedProps(only(byType(AUTH0_TYPES.resourceServer)));
        expect(props).toEqual({
            name: "https://mcp.example.com/mcp",
            identifier: "https://mcp.example.com/mcp",
            signingAlg: "RS256",
            tokenDialect: "rfc9068_profile_authz",
            tokenLifetime: 3600,
            tokenLifetimeForWeb: 3600,
            allowOfflineAccess: false,
            enforcePolicies: true,
            skipConsentForVerifiableFirstPartyClients: false,
            subjectTypeAuthorization: { user: { policy: "require_client_grant" }, client: { policy: "deny_all" } },
        });
        expect(props).not.toHaveProperty("tokenEncryption");
        expect(props).not.toHaveProperty("signingSecret");
    });

    it("declares the scopes with descriptions on the API's identifier", async () => {
        const { byType } = await build();
        expect(await resolvedProps(only(byType(AUTH0_TYPES.resourceServerScopes)))).toEqual({
            resourceServerIdentifier: "https://mcp.example.com/mcp",
            scopes: [
                { name: "tools:read", description: "List tools" },
                { name: "tools:call", description: "Call tools" },
            ],
        });
    });

    it("grants third-party clients every declared scope by default, never allowAllScopes, after the scopes exist", async () => {
        const { byType } = await build();
        const grant = only(byType(AUTH0_TYPES.clientGrant));
        expect(await resolvedProps(grant)).toEqual({
            audience: "https://mcp.example.com/mcp",
            defaultFor: "third_party_clients",
            subjectType: "user",
            scopes: ["tools:read", "tools:call"],
        });
        expect(grant.dependsOn).toEqual([`${AUTH0_TYPES.resourceServerScopes}::orders-scopes`]);
    });

    it("exposes audience, issuer, JWKS URI, scopes, metadata and contract as outputs", async () => {
        const api = defined((await build()).api, "the McpApi");
        const outputs = (await resolveDeep({
            audience: api.audience,
            issuer: api.issuer,
            jwksUri: api.jwksUri,
            scopes: api.scopes,
            metadataUrl: api.protectedResourceMetadataUrl,
            metadata: api.protectedResourceMetadata,
            contract: api.validationContract,
        })) as Record<string, unknown>;
        expect(outputs.audience).toBe("https://mcp.example.com/mcp");
        expect(outputs.issuer).toBe("https://example.eu.auth0.com/");
        expect(outputs.jwksUri).toBe("https://example.eu.auth0.com/.well-known/jwks.json");
        expect(outputs.scopes).toEqual(["tools:read", "tools:call"]);
        expect(outputs.metadataUrl).toBe("https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
        expect(outputs.metadata).toEqual({
            resource: "https://mcp.example.com/mcp",
            authorization_servers: ["https://example.eu.auth0.com/"],
            scopes_supported: ["tools:read", "tools:call"],
            bearer_methods_supported: ["header"],
            resource_name: "https://mcp.example.com/mcp",
        });
        expect(outputs.contract).toMatchObject({
            issuer: "https://example.eu.auth0.com/",
            audience: "https://mcp.example.com/mcp",
            algorithms: ["RS256"],
            tokenType: "at+jwt",
            requiredScopes: ["tools:read", "tools:call"],
            maxTokenLifetimeSeconds: 3600,
        });
    });
});

describe("McpApi overrides", () => {
    it("applies every override to the resource server and outputs", async () => {
        const { byType, api } = await build({
            displayName: "Orders MCP",
            signingAlg: "PS256",
            tokenDialect: "access_token_authz",
            tokenLifetimeSeconds: 600,
            allowOfflineAccess: true,
            thirdPartyScopes: ["tools:read"],
            requiredScopes: ["tools:call"],
            resourceDocumentation: "https://docs.example.com/orders",
        });
        expect(await resolvedProps(only(byType(AUTH0_TYPES.resourceServer)))).toMatchObject({
            name: "Orders MCP",
            signingAlg: "PS256",
            tokenDialect: "access_token_authz",
            tokenLifetime: 600,
            tokenLifetimeForWeb: 600,
            allowOfflineAccess: true,
            enforcePolicies: true,
            skipConsentForVerifiableFirstPartyClients: false,
        });
        expect((await resolvedProps(only(byType(AUTH0_TYPES.clientGrant)))).scopes).toEqual(["tools:read"]);
        const { metadata, contract } = (await resolveDeep({
            metadata: defined(api, "the McpApi").protectedResourceMetadata,
            contract: defined(api, "the McpApi").validationContract,
        })) as { metadata: Record<string, unknown>; contract: unknown };
        expect(metadata.resource_name).toBe("Orders MCP");
        expect(metadata.resource_documentation).toBe("https://docs.example.com/orders");
        expect(contract).toMatchObject({
            algorithms: ["PS256"],
            tokenType: "JWT",
            requiredScopes: ["tools:call"],
            maxTokenLifetimeSeconds: 600,
        });
    });

    it("creates no default grant when the tenant lets no third-party client in", async () => {
        const { run, byType } = await build({ thirdPartyClientsAllowed: false });
        expect(run.error).toBeUndefined();
        expect(byType(AUTH0_TYPES.clientGrant)).toHaveLength(0);
    });

    it("accepts http://localhost only when local development is allowed", async () => {
        const refused = await buildError({ identifier: "http://localhost:3000/mcp" });
        expect(refused.error.message).toContain("identifier");
        expect(refused.error.message).toContain("local development");
        const { run, byType } = await build({ identifier: "http://localhost:3000/mcp", allowLocalhostHttp: true });
        expect(run.error).toBeUndefined();
        expect((await resolvedProps(only(byType(AUTH0_TYPES.resourceServer)))).identifier).toBe(
            "http://localhost:3000/mcp",
        );
    });

    it("accepts token lifetimes up to 86400 s", async () => {
        const { run } = await build({ tokenLifetimeSeconds: 86_400 });
        expect(run.error).toBeUndefined();
    });
});

describe("McpApi refusals (nothing is registered)", () => {
    it("refuses HS256 and says to use RS256 or PS256", async () => {
        const { error, registered } = await buildError({ signingAlg: "HS256" as never });
        expect(error.problems).toEqual([{ path: "signingAlg", message: expect.stringContaining("HS256 is refused") }]);
        expect(error.message).toContain("RS256");
        expect(error.message).toContain('McpApi "orders"');
        expect(registered).toBe(0);
    });

    it("refuses a lowercase algorithm and shows the canonical spelling", async () => {
        const { error } = await buildError({ signingAlg: "rs256" as never });
        expect(error.problems[0].message).toContain('"RS256"');
    });

    it.each([
        ["https://MCP.example.com/mcp", "https://mcp.example.com/mcp", "uppercase host"],
        ["https://mcp.example.com/mcp/", "https://mcp.example.com/mcp", "trailing slash"],
        ["https://mcp.example.com/mcp#top", "https://mcp.example.com/mcp", "fragment"],
        ["HTTPS://mcp.example.com/mcp", "https://mcp.example.com/mcp", "uppercase scheme"],
        ["https://mcp.example.com:443/mcp", "https://mcp.example.com/mcp", "default port"],
    ])("refuses the non-canonical identifier %s and shows %s", async (identifier, canonical, why) => {
        const { error, registered } = await buildError({ identifier });
        expect(error.problems).toHaveLength(1);
        expect(error.problems[0].path).toBe("identifier");
        expect(error.problems[0].message).toContain(`use "${canonical}"`);
        expect(error.problems[0].message).toContain(why);
        expect(registered).toBe(0);
    });

    it("refuses a non-https identifier", async () => {
        const { error } = await buildError({ identifier: "http://mcp.example.com/mcp" });
        expect(error.problems[0].message).toContain("must use https");
    });

    it("refuses a camelCase dialect and shows the snake_case one", async () => {
        const { error } = await buildError({ tokenDialect: "rfc9068ProfileAuthz" as never });
        expect(error.problems).toEqual([
            { path: "tokenDialect", message: expect.stringContaining('"rfc9068_profile_authz"') },
        ]);
    });

    it.each([0, 59, 86_401, 1.5])("refuses token lifetime %s", async (tokenLifetimeSeconds) => {
        const { error } = await buildError({ tokenLifetimeSeconds });
        expect(error.problems).toEqual([
            { path: "tokenLifetimeSeconds", message: expect.stringContaining("60 to 86400") },
        ]);
    });

    it("refuses no scopes, duplicate and malformed scope names and empty descriptions, listing each", async () => {
        expect((await buildError({ scopes: [] })).error.problems.map((p) => p.path)).toContain("scopes");
        const { error } = await buildError({
            scopes: [
                { name: "tools:read", description: "ok" },
                { name: "tools:read", description: "again" },
                { name: "tools call", description: "" },
            ],
        });
        expect(error.problems.map((p) => p.path)).toEqual([
            "scopes[1].name",
            "scopes[2].name",
            "scopes[2].description",
        ]);
    });

    it("refuses third-party and required scopes that are not declared", async () => {
        const { error } = await buildError({ thirdPartyScopes: ["tools:write"], requiredScopes: ["admin"] });
        expect(error.problems.map((p) => p.path)).toEqual(["thirdPartyScopes[0]", "requiredScopes[0]"]);
        expect(error.problems[0].message).toContain("declared: tools:read, tools:call");
    });

    it("refuses an empty third-party scope list", async () => {
        const { error } = await buildError({ thirdPartyScopes: [] });
        expect(error.problems.map((p) => p.path)).toEqual(["thirdPartyScopes"]);
    });

    it("refuses a bad tenant domain, display name and documentation URL", async () => {
        const { error } = await buildError({
            tenantDomain: "https://example.eu.auth0.com/",
            displayName: "<b>MCP</b>",
            resourceDocumentation: "http://docs.example.com",
        });
        expect(error.problems.map((p) => p.path)).toEqual(["tenantDomain", "displayName", "resourceDocumentation"]);
    });
});
