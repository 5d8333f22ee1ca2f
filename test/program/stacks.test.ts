import { describe, expect, it } from "vitest";
import { buildStack } from "../../src/program/stack";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { resolvedProps, runUnderMocks } from "../helpers/mocks";
import { stackRuntimeConfig } from "../helpers/stack-config";
import { defined } from "../helpers/defined";

/** The stack's outputs as these tests read them: each API's outputs by identifier, the rest plain values. */
type StackOutputs = Record<string, unknown> & {
    apis: Record<
        string,
        Record<string, unknown> & {
            validationContract: Record<string, unknown>;
            protectedResourceMetadata: Record<string, unknown>;
        }
    >;
};

const API_COMPONENT = "auth0-mcp:index:McpApi::mcp-dev-example-com-mcp";
const TENANT_COMPONENT = "auth0-mcp:index:TenantMcpSettings::mcp-tenant";

describe("dev stack (Pulumi.dev.yaml)", async () => {
    const run = await runUnderMocks(stackRuntimeConfig("dev"), () => buildStack());
    const find = (type: string) => run.resources.filter((r) => r.type === type);

    it("builds without error", () => expect(run.error).toBeUndefined());

    it("registers exactly the expected resources, with their parents", () => {
        expect(run.resources.map((r) => [r.type, r.name, r.parent])).toEqual([
            ["auth0-mcp:index:McpApi", "mcp-dev-example-com-mcp", undefined],
            [AUTH0_TYPES.resourceServer, "mcp-dev-example-com-mcp-api", API_COMPONENT],
            [AUTH0_TYPES.resourceServerScopes, "mcp-dev-example-com-mcp-scopes", API_COMPONENT],
            [AUTH0_TYPES.clientGrant, "mcp-dev-example-com-mcp-third-party-default", API_COMPONENT],
            ["auth0-mcp:index:TenantMcpSettings", "mcp-tenant", undefined],
            [AUTH0_TYPES.tenant, "mcp-tenant-tenant", TENANT_COMPONENT],
            [AUTH0_TYPES.connection, "mcp-tenant-connection-google-oauth2", TENANT_COMPONENT],
            [AUTH0_TYPES.clientCimd, "mcp-tenant-cimd-app-example-com-oauth-client-metadata-json", TENANT_COMPONENT],
        ]);
        expect(run.registrations).toHaveLength(8);
    });

    it("declares the MCP API with the dev identifier and safe token settings", async () => {
        expect(await resolvedProps(find(AUTH0_TYPES.resourceServer)[0])).toEqual({
            name: "Example MCP server (dev)",
            identifier: "https://mcp.dev.example.com/mcp",
            signingAlg: "RS256",
            tokenDialect: "rfc9068_profile_authz",
            tokenLifetime: 3600,
            tokenLifetimeForWeb: 3600,
            allowOfflineAccess: false,
            enforcePolicies: true,
            skipConsentForVerifiableFirstPartyClients: false,
            subjectTypeAuthorization: { user: { policy: "require_client_grant" }, client: { policy: "deny_all" } },
        });
    });

    it("declares both scopes with descriptions and grants them to third-party clients (CIMD is on)", async () => {
        expect(await resolvedProps(find(AUTH0_TYPES.resourceServerScopes)[0])).toEqual({
            resourceServerIdentifier: "https://mcp.dev.example.com/mcp",
            scopes: [
                { name: "tools:read", description: "List the MCP server's tools and read their descriptions" },
                { name: "tools:call", description: "Call the MCP server's tools on your behalf" },
            ],
        });
        expect(await resolvedProps(find(AUTH0_TYPES.clientGrant)[0])).toEqual({
            audience: "https://mcp.dev.example.com/mcp",
            defaultFor: "third_party_clients",
            subjectType: "user",
            scopes: ["tools:read", "tools:call"],
        });
    });

    it("sets the tenant: compatibility profile, CIMD on, DCR off, no default audience, kept on delete", async () => {
        const tenant = find(AUTH0_TYPES.tenant)[0];
        expect(tenant.retainOnDelete).toBe(true);
        expect(tenant.dependsOn).toEqual([API_COMPONENT]);
        expect(await resolvedProps(tenant)).toEqual({
            resourceParameterProfile: "compatibility",
            clientIdMetadataDocumentSupported: true,
            flags: {
                enableDynamicClientRegistration: false,
                enableClientConnections: false,
                useScopeDescriptionsForConsent: true,
                removeAlgFromJwks: false,
            },
        });
    });

    it("promotes google-oauth2 with its approval", async () => {
        const connection = find(AUTH0_TYPES.connection)[0];
        expect(connection.import).toBeUndefined();
        expect(connection.retainOnDelete).toBe(true);
        expect(await resolvedProps(connection)).toEqual({
            name: "google-oauth2",
            strategy: "google-oauth2",
            isDomainConnection: true,
            metadata: { mcp_owner: "iam-team@example.com", mcp_approval_ref: "SEC-1234" },
        });
    });

    it("pre-registers the CIMD client with owner, approval and review date", async () => {
        const client = find(AUTH0_TYPES.clientCimd)[0];
        expect(await resolvedProps(client)).toEqual({
            externalClientId: "https://app.example.com/oauth/client-metadata.json",
            description: "Example MCP client, registered ahead of first use",
            clientMetadata: {
                mcp_owner: "iam-team@example.com",
                mcp_approval_ref: "SEC-1234",
                mcp_review_by: "2027-06-30",
            },
        });
    });

    it("exports the tenant and per-API outputs", () => {
        const outputs = run.outputs as StackOutputs;
        expect(Object.keys(outputs).sort()).toEqual(
            [
                "apis",
                "cimdClientIds",
                "clientIdMetadataDocuments",
                "defaultAudience",
                "dynamicClientRegistration",
                "issuer",
                "jwksUri",
                "promotedConnectionIds",
                "resourceParameterProfile",
                "tenantDomain",
            ].sort(),
        );
        expect(outputs.tenantDomain).toBe("example-dev.us.auth0.com");
        expect(outputs.issuer).toBe("https://example-dev.us.auth0.com/");
        expect(outputs.jwksUri).toBe("https://example-dev.us.auth0.com/.well-known/jwks.json");
        expect(outputs.resourceParameterProfile).toBe("compatibility");
        expect(outputs.dynamicClientRegistration).toBe(false);
        expect(outputs.clientIdMetadataDocuments).toBe(true);
        expect(outputs.defaultAudience).toBeNull();
        expect(outputs.promotedConnectionIds).toEqual({ "google-oauth2": "mcp-tenant-connection-google-oauth2-id" });
        const api = outputs.apis["https://mcp.dev.example.com/mcp"];
        expect(Object.keys(outputs.apis)).toEqual(["https://mcp.dev.example.com/mcp"]);
        expect(api.audience).toBe("https://mcp.dev.example.com/mcp");
        expect(api.scopes).toEqual(["tools:read", "tools:call"]);
        expect(api.protectedResourceMetadataUrl).toBe(
            "https://mcp.dev.example.com/.well-known/oauth-protected-resource/mcp",
        );
        expect(api.protectedResourceMetadata).toEqual({
            resource: "https://mcp.dev.example.com/mcp",
            authorization_servers: ["https://example-dev.us.auth0.com/"],
            scopes_supported: ["tools:read", "tools:call"],
            bearer_methods_supported: ["header"],
            resource_name: "Example MCP server (dev)",
        });
        expect(api.validationContract).toEqual({
            contractVersion: 1,
            issuer: "https://example-dev.us.auth0.com/",
            audience: "https://mcp.dev.example.com/mcp",
            jwksUri: "https://example-dev.us.auth0.com/.well-known/jwks.json",
            algorithms: ["RS256"],
            tokenType: "at+jwt",
            requiredClaims: ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"],
            scopeClaim: "scope",
            permissionsClaim: "permissions",
            requiredScopes: ["tools:read", "tools:call"],
            maxTokenLifetimeSeconds: 3600,
            clockToleranceSeconds: 60,
            resourceMetadataUrl: "https://mcp.dev.example.com/.well-known/oauth-protected-resource/mcp",
        });
    });
});

describe("prod stack (Pulumi.prod.yaml)", async () => {
    const run = await runUnderMocks(stackRuntimeConfig("prod"), () => buildStack());
    const find = (type: string) => run.resources.filter((r) => r.type === type);

    it("builds two MCP APIs, the tenant, one adopted connection and one CIMD client", () => {
        expect(run.error).toBeUndefined();
        expect(run.resources.map((r) => [r.type, r.name])).toEqual([
            ["auth0-mcp:index:McpApi", "mcp-example-com-tools"],
            [AUTH0_TYPES.resourceServer, "mcp-example-com-tools-api"],
            [AUTH0_TYPES.resourceServerScopes, "mcp-example-com-tools-scopes"],
            [AUTH0_TYPES.clientGrant, "mcp-example-com-tools-third-party-default"],
            ["auth0-mcp:index:McpApi", "mcp-example-com-reports"],
            [AUTH0_TYPES.resourceServer, "mcp-example-com-reports-api"],
            [AUTH0_TYPES.resourceServerScopes, "mcp-example-com-reports-scopes"],
            [AUTH0_TYPES.clientGrant, "mcp-example-com-reports-third-party-default"],
            ["auth0-mcp:index:TenantMcpSettings", "mcp-tenant"],
            [AUTH0_TYPES.tenant, "mcp-tenant-tenant"],
            [AUTH0_TYPES.connection, "mcp-tenant-connection-corp-oidc"],
            [AUTH0_TYPES.clientCimd, "mcp-tenant-cimd-app-example-com-oauth-client-metadata-json"],
        ]);
    });

    it("uses short-lived tokens, PS256 for reports, and grants third parties only reports:read", async () => {
        const [tools, reports] = await Promise.all(find(AUTH0_TYPES.resourceServer).map(resolvedProps));
        expect([tools.identifier, tools.tokenLifetime, tools.signingAlg]).toEqual([
            "https://mcp.example.com/tools",
            900,
            "RS256",
        ]);
        expect([reports.identifier, reports.tokenLifetime, reports.signingAlg]).toEqual([
            "https://mcp.example.com/reports",
            900,
            "PS256",
        ]);
        const grants = await Promise.all(find(AUTH0_TYPES.clientGrant).map(resolvedProps));
        expect(grants.map((g) => g.scopes)).toEqual([["tools:read", "tools:call"], ["reports:read"]]);
    });

    it("sets the default audience to the tools API and adopts the corporate OIDC connection by import", async () => {
        expect((await resolvedProps(find(AUTH0_TYPES.tenant)[0])).defaultAudience).toBe(
            "https://mcp.example.com/tools",
        );
        const connection = find(AUTH0_TYPES.connection)[0];
        expect(connection.import).toBe("con_0000000000000001");
        expect(connection.retainOnDelete).toBe(true);
        expect(await resolvedProps(connection)).toMatchObject({
            name: "corp-oidc",
            strategy: "oidc",
            isDomainConnection: true,
        });
    });

    it("exports one entry per API", () => {
        const outputs = run.outputs as StackOutputs;
        expect(Object.keys(outputs.apis)).toEqual(["https://mcp.example.com/tools", "https://mcp.example.com/reports"]);
        expect(outputs.apis["https://mcp.example.com/tools"].validationContract.requiredScopes).toEqual(["tools:read"]);
        expect(outputs.apis["https://mcp.example.com/tools"].protectedResourceMetadata.resource_documentation).toBe(
            "https://docs.example.com/mcp/tools",
        );
        expect(outputs.defaultAudience).toBe("https://mcp.example.com/tools");
    });
});

describe("entries", () => {
    it("importing the library entry declares no resource", async () => {
        const run = await runUnderMocks(stackRuntimeConfig("dev"), async () => {
            const lib = await import("../../src/lib");
            expect(typeof lib.McpApi).toBe("function");
            expect(typeof lib.TenantMcpSettings).toBe("function");
            expect(typeof lib.loadStackConfig).toBe("function");
        });
        expect(run.error).toBeUndefined();
        expect(run.resources).toHaveLength(0);
        expect(run.registrations).toHaveLength(0);
    });

    it("the program entry named by Pulumi.yaml builds the stack from the runtime config and exports its outputs", async () => {
        const run = await runUnderMocks(
            stackRuntimeConfig("dev"),
            async () => (await import("../../src/program/index")) as unknown,
        );
        expect(run.error).toBeUndefined();
        expect(run.registrations).toHaveLength(8);
        expect(defined(run.outputs, "the program's outputs").issuer).toBe("https://example-dev.us.auth0.com/");
    });
});

describe("connection secrets", () => {
    it("reach the connection options only as a Pulumi secret and never the outputs", async () => {
        const config = {
            ...stackRuntimeConfig("dev"),
            "auth0-mcp:connectionSecrets": JSON.stringify({ "google-oauth2": "s3cr3t-value" }),
        };
        const run = await runUnderMocks(config, () => buildStack(), ["auth0-mcp:connectionSecrets"]);
        expect(run.error).toBeUndefined();
        const connection = defined(
            run.resources.find((r) => r.type === AUTH0_TYPES.connection),
            "a connection",
        );
        const secret = (connection.props.options as { clientSecret: { isSecret: Promise<boolean> } }).clientSecret;
        expect(await secret.isSecret).toBe(true);
        expect((await resolvedProps(connection)).options).toEqual({ clientSecret: "s3cr3t-value" });
        expect(JSON.stringify(run.outputs)).not.toContain("s3cr3t-value");
    });
});
