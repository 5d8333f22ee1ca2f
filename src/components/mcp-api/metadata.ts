/**
 * RFC 9728 OAuth 2.0 Protected Resource Metadata for an MCP server protected by an Auth0 tenant.
 *
 * Field choice:
 * - `resource`: the canonical MCP server URI, identical to the Auth0 API identifier (the token audience).
 * - `authorization_servers`: the tenant issuer exactly as Auth0 writes it (`https://<domain>/`, trailing slash);
 *   clients compare it with the `issuer` of the authorization-server metadata (RFC 8414 §3.3), so it must match.
 * - `scopes_supported`: the API's scopes, so a client can request them when a 401 names none.
 * - `bearer_methods_supported: ["header"]`: MCP sends tokens in the Authorization header only, never the query.
 * - `resource_name` and, when configured, `resource_documentation`: for consent and discovery UIs.
 * - Left out on purpose: `jwks_uri` and `resource_signing_alg_values_supported` describe keys the *resource*
 *   uses to sign its own responses (RFC 9728 §2). The MCP server signs nothing; putting Auth0's JWKS there
 *   would misstate it. Token-validation keys are in the validation contract and in Auth0's own metadata.
 */
export interface ProtectedResourceMetadata {
    resource: string;
    authorization_servers: string[];
    scopes_supported: string[];
    bearer_methods_supported: ["header"];
    resource_name: string;
    resource_documentation?: string;
}

export interface ProtectedResourceMetadataInput {
    resource: string;
    issuer: string;
    scopes: readonly string[];
    resourceName: string;
    resourceDocumentation?: string;
}

export function buildProtectedResourceMetadata(input: ProtectedResourceMetadataInput): ProtectedResourceMetadata {
    const metadata: ProtectedResourceMetadata = {
        resource: input.resource,
        authorization_servers: [input.issuer],
        scopes_supported: [...input.scopes],
        bearer_methods_supported: ["header"],
        resource_name: input.resourceName,
    };
    if (input.resourceDocumentation !== undefined) metadata.resource_documentation = input.resourceDocumentation;
    return metadata;
}

/**
 * Where the server serves the document (RFC 9728 §3.1): `/.well-known/oauth-protected-resource` inserted between
 * the host and the path, e.g. `https://mcp.example.com/mcp` → `https://mcp.example.com/.well-known/oauth-protected-resource/mcp`.
 * It is also the `resource_metadata` value of the server's `WWW-Authenticate` header on 401.
 */
export function protectedResourceMetadataUrl(resource: string): string {
    const url = new URL(resource);
    const path = url.pathname === "/" ? "" : url.pathname.replace(/\/+$/, "");
    return `${url.protocol}//${url.host}/.well-known/oauth-protected-resource${path}${url.search}`;
}
