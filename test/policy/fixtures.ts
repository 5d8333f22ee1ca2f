/** Resources as the policies see them: camelCase @pulumi/auth0 properties. */
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import type { FakeResource } from "./helpers";

export const FUTURE_DATE = "2999-12-31";

export function tenant(props: Record<string, unknown> = {}, name = "tenant"): FakeResource {
    return {
        type: AUTH0_TYPES.tenant,
        name,
        props: {
            resourceParameterProfile: "compatibility",
            clientIdMetadataDocumentSupported: true,
            flags: { enableDynamicClientRegistration: false, enableClientConnections: false },
            ...props,
        },
    };
}

export function resourceServer(props: Record<string, unknown> = {}, name = "mcp-api"): FakeResource {
    return {
        type: AUTH0_TYPES.resourceServer,
        name,
        props: {
            identifier: "https://mcp.dev.example.com/mcp",
            name: "MCP server",
            signingAlg: "RS256",
            tokenDialect: "rfc9068_profile_authz",
            enforcePolicies: true,
            tokenLifetime: 3600,
            subjectTypeAuthorization: { user: { policy: "require_client_grant" }, client: { policy: "deny_all" } },
            ...props,
        },
    };
}

export function thirdPartyGrant(props: Record<string, unknown> = {}, name = "third-party-default"): FakeResource {
    return {
        type: AUTH0_TYPES.clientGrant,
        name,
        props: {
            audience: "https://mcp.dev.example.com/mcp",
            defaultFor: "third_party_clients",
            subjectType: "user",
            scopes: ["tools:read", "tools:call"],
            ...props,
        },
    };
}

/** The scopes an API declares (the McpApi component writes one ResourceServerScopes per API). */
export function apiScopes(
    identifier = "https://mcp.dev.example.com/mcp",
    names = ["tools:read", "tools:call"],
    name = "mcp-scopes",
): FakeResource {
    return {
        type: AUTH0_TYPES.resourceServerScopes,
        name,
        props: {
            resourceServerIdentifier: identifier,
            scopes: names.map((scope) => ({ name: scope, description: `Allows ${scope}` })),
        },
    };
}

export function connection(props: Record<string, unknown> = {}, name = "google"): FakeResource {
    return {
        type: AUTH0_TYPES.connection,
        name,
        props: {
            name: "google-oauth2",
            strategy: "google-oauth2",
            isDomainConnection: true,
            metadata: { mcp_owner: "platform-team", mcp_approval_ref: "SEC-123" },
            ...props,
        },
    };
}

export function clientCimd(props: Record<string, unknown> = {}, name = "claude-client"): FakeResource {
    return {
        type: AUTH0_TYPES.clientCimd,
        name,
        props: {
            externalClientId: "https://app.example.com/oauth/client-metadata.json",
            clientMetadata: { mcp_owner: "platform-team", mcp_approval_ref: "SEC-124", mcp_review_by: FUTURE_DATE },
            ...props,
        },
    };
}

/** The dev stack of the brief: it must pass every mandatory rule with policy/config/dev.json. */
export function devStack(): FakeResource[] {
    return [tenant(), resourceServer(), apiScopes(), thirdPartyGrant(), connection(), clientCimd()];
}

/** A prod-like stack: two APIs, a validated default audience, an adopted enterprise (oidc) connection. */
export function prodStack(): FakeResource[] {
    return [
        tenant({ defaultAudience: "https://mcp.example.com/tools" }),
        resourceServer({ identifier: "https://mcp.example.com/tools" }, "tools-api"),
        resourceServer({ identifier: "https://mcp.example.com/search" }, "search-api"),
        corpOidcConnection(),
        clientCimd(),
    ];
}

/** Pulumi.prod.yaml's corp-oidc connection: an oidc connection with its issuer, pinned in policy/config/prod.json. */
export function corpOidcConnection(props: Record<string, unknown> = {}): FakeResource {
    return connection(
        { name: "corp-oidc", strategy: "oidc", options: { issuer: "https://login.example.com/" }, ...props },
        "corp-oidc",
    );
}
