import {
    AsymmetricSigningAlg,
    DEFAULT_TOKEN_DIALECT,
    DEFAULT_TOKEN_LIFETIME_SECONDS,
    TokenDialect,
} from "../../../policy/facts";

export interface McpApiScope {
    /** Scope (permission) name as clients request it, e.g. `tools:read`. */
    name: string;
    /** Shown to users on the consent screen; required because third-party consent cannot be skipped. */
    description: string;
}

/** Arguments of the McpApi component: one Auth0 API (resource server) per MCP server. */
export interface McpApiArgs {
    /** Canonical URI of the MCP server (RFC 8707 resource / token audience), e.g. `https://mcp.example.com/mcp`. */
    identifier: string;
    /** Auth0 tenant domain, e.g. `example.eu.auth0.com`; issuer and JWKS URI derive from it. */
    tenantDomain: string;
    /** At least one scope, each with a description. */
    scopes: McpApiScope[];
    /**
     * Whether the tenant lets third-party clients in (DCR or CIMD enabled). When true, a ClientGrant with
     * `defaultFor: "third_party_clients"` gives them `thirdPartyScopes`; without it they reach no API.
     */
    thirdPartyClientsAllowed: boolean;
    /** Auth0 API name and RFC 9728 `resource_name`. Default: the identifier. */
    displayName?: string;
    /** RS256 (default) or PS256. HS256 is refused. */
    signingAlg?: AsymmetricSigningAlg;
    /** Access-token dialect, snake_case. Default `rfc9068_profile_authz`. */
    tokenDialect?: TokenDialect;
    /** Access-token lifetime in seconds. Default 3600, at most 86400. */
    tokenLifetimeSeconds?: number;
    /** Allow refresh tokens for this API. Default false. */
    allowOfflineAccess?: boolean;
    /** Accept an `http://localhost…` identifier (local development only). Default false. */
    allowLocalhostHttp?: boolean;
    /** Scopes third-party clients get by default. Default: every declared scope. */
    thirdPartyScopes?: string[];
    /** Scopes every accepted token must carry, written into the validation contract. Default: every declared scope. */
    requiredScopes?: string[];
    /** Human-readable documentation URL, published as RFC 9728 `resource_documentation`. */
    resourceDocumentation?: string;
}

/** McpApiArgs with every default applied. */
export interface ResolvedMcpApiArgs extends Required<Omit<McpApiArgs, "resourceDocumentation">> {
    resourceDocumentation: string | undefined;
}

export const MCP_API_DEFAULTS = {
    signingAlg: "RS256" as AsymmetricSigningAlg,
    tokenDialect: DEFAULT_TOKEN_DIALECT,
    tokenLifetimeSeconds: DEFAULT_TOKEN_LIFETIME_SECONDS,
    allowOfflineAccess: false,
    allowLocalhostHttp: false,
} as const;

export function resolveMcpApiArgs(args: McpApiArgs): ResolvedMcpApiArgs {
    const allScopes = [...new Set(args.scopes.map((s) => s.name))];
    return {
        identifier: args.identifier,
        tenantDomain: args.tenantDomain,
        scopes: args.scopes,
        thirdPartyClientsAllowed: args.thirdPartyClientsAllowed,
        displayName: args.displayName ?? args.identifier,
        signingAlg: args.signingAlg ?? MCP_API_DEFAULTS.signingAlg,
        tokenDialect: args.tokenDialect ?? MCP_API_DEFAULTS.tokenDialect,
        tokenLifetimeSeconds: args.tokenLifetimeSeconds ?? MCP_API_DEFAULTS.tokenLifetimeSeconds,
        allowOfflineAccess: args.allowOfflineAccess ?? MCP_API_DEFAULTS.allowOfflineAccess,
        allowLocalhostHttp: args.allowLocalhostHttp ?? MCP_API_DEFAULTS.allowLocalhostHttp,
        thirdPartyScopes: args.thirdPartyScopes ?? allScopes,
        requiredScopes: args.requiredScopes ?? allScopes,
        resourceDocumentation: args.resourceDocumentation,
    };
}
