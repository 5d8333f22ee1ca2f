import type { VerifiedToken } from "./verify";

/**
 * The shape of the MCP TypeScript SDK's `AuthInfo` (@modelcontextprotocol/sdk server/auth/types.ts), declared here
 * so this entry does not load the SDK. Its StreamableHTTPServerTransport reads it from `req.auth` and hands it to
 * tool handlers as `extra.authInfo`.
 */
export interface McpAuthInfo {
    token: string;
    clientId: string;
    scopes: string[];
    /** Seconds since the epoch. */
    expiresAt?: number;
    /** The RFC 8707 resource the token was issued for: the contract's audience. */
    resource?: URL;
    extra?: Record<string, unknown>;
}

export function toAuthInfo(token: string, verified: VerifiedToken): McpAuthInfo {
    const info: McpAuthInfo = {
        token,
        clientId: verified.clientId,
        scopes: verified.scopes,
        expiresAt: verified.expiresAt,
        extra: { subject: verified.subject, claims: verified.claims },
    };
    const resource = URL.canParse(verified.audience) ? new URL(verified.audience) : undefined;
    if (resource) info.resource = resource;
    return info;
}
