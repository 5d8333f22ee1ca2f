/**
 * `auth0-mcp/verifier/mcp-sdk`: the verifier as the official MCP TypeScript SDK's `OAuthTokenVerifier`, for its
 * `requireBearerAuth` middleware (@modelcontextprotocol/sdk server/auth/middleware/bearerAuth.ts). Needs the SDK,
 * an optional peer dependency of this package; the `auth0-mcp/verifier` entry does not.
 */
import {
    InsufficientScopeError,
    InvalidTokenError,
    ServerError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { OAuthTokenVerifier } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import { toAuthInfo } from "./auth-info";
import { TokenRejectedError } from "./errors";
import type { TokenVerifier } from "./verify";

/**
 * Maps rejections onto the SDK's error classes, which requireBearerAuth turns into responses: `invalid_token` →
 * 401 with `WWW-Authenticate`, `insufficient_scope` → 403, an unreachable JWKS → ServerError (the SDK answers 500
 * `server_error`; it has no 503 path — use this package's `bearerAuth` for 503 + Retry-After).
 */
export function mcpTokenVerifier(verifier: TokenVerifier): OAuthTokenVerifier {
    return {
        async verifyAccessToken(token: string): Promise<AuthInfo> {
            try {
                return toAuthInfo(token, await verifier.verify(token));
            } catch (e) {
                if (!(e instanceof TokenRejectedError)) throw e;
                if (e.code === "insufficient_scope") throw new InsufficientScopeError(e.message);
                if (e.code === "temporarily_unavailable") throw new ServerError(e.message);
                throw new InvalidTokenError(e.message);
            }
        },
    };
}

/**
 * Options for the SDK's `requireBearerAuth`, taken from the contract: the verifier, the contract's required scopes
 * (so a 403 names them in `scope="…"`), the metadata URL every 401 advertises and the resource the token must be
 * for. Use: `app.post("/mcp", requireBearerAuth(mcpBearerAuthOptions(verifier)), handler)`.
 */
export function mcpBearerAuthOptions(verifier: TokenVerifier): {
    verifier: OAuthTokenVerifier;
    requiredScopes: string[];
    resourceMetadataUrl: string;
    expectedResource?: URL;
} {
    const { contract } = verifier;
    return {
        verifier: mcpTokenVerifier(verifier),
        requiredScopes: [...contract.requiredScopes],
        resourceMetadataUrl: contract.resourceMetadataUrl,
        ...(URL.canParse(contract.audience) ? { expectedResource: new URL(contract.audience) } : {}),
    };
}
