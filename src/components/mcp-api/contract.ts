import { isAuthzTokenDialect, tokenTypeForDialect } from "../../../policy/facts";

/**
 * What an MCP server must check on every access token, as JSON it can load at start-up. Produced by the
 * McpApi component from the same settings that configure the Auth0 API, so the two cannot drift apart.
 */
export interface ValidationContract {
    /** Bumped when a field changes meaning. */
    contractVersion: 1;
    /** Exact `iss` (Auth0 issuers end with `/`). */
    issuer: string;
    /** Must be contained in `aud`, which may be an array also holding `https://<domain>/userinfo`. */
    audience: string;
    /** Fetch signing keys here; cache them and refetch on an unknown `kid`. */
    jwksUri: string;
    /** Accept only these `alg` values; never `none` or HS*. */
    algorithms: string[];
    /** Expected JOSE `typ` header: `at+jwt` for RFC 9068 dialects, `JWT` otherwise. */
    tokenType: "at+jwt" | "JWT";
    /** Claims that must be present. */
    requiredClaims: string[];
    /** Claim holding the space-delimited granted scopes. */
    scopeClaim: "scope";
    /** Claim holding RBAC permissions (authz dialects only), else null. */
    permissionsClaim: "permissions" | null;
    /** Scopes a token must carry to be accepted at all; answer 403 `insufficient_scope` otherwise. */
    requiredScopes: string[];
    /** Tokens living longer than this (`exp - iat`) were not issued for this API's settings. */
    maxTokenLifetimeSeconds: number;
    /** Leeway for `exp`/`iat`/`nbf` checks against clock drift. */
    clockToleranceSeconds: number;
    /** RFC 9728 metadata URL to advertise in `WWW-Authenticate: Bearer resource_metadata="…"`. */
    resourceMetadataUrl: string;
}

export interface ValidationContractInput {
    issuer: string;
    audience: string;
    jwksUri: string;
    signingAlg: string;
    tokenDialect: string;
    requiredScopes: readonly string[];
    tokenLifetimeSeconds: number;
    resourceMetadataUrl: string;
}

export const CLOCK_TOLERANCE_SECONDS = 60;

/** RFC 9068 §2.2 requires these; Auth0's classic `access_token` dialect carries `azp` instead of `client_id`. */
const RFC9068_REQUIRED_CLAIMS = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"];
const CLASSIC_REQUIRED_CLAIMS = ["iss", "exp", "aud", "sub", "iat"];

export function buildValidationContract(input: ValidationContractInput): ValidationContract {
    const tokenType = tokenTypeForDialect(input.tokenDialect);
    return {
        contractVersion: 1,
        issuer: input.issuer,
        audience: input.audience,
        jwksUri: input.jwksUri,
        algorithms: [input.signingAlg],
        tokenType,
        requiredClaims: tokenType === "at+jwt" ? [...RFC9068_REQUIRED_CLAIMS] : [...CLASSIC_REQUIRED_CLAIMS],
        scopeClaim: "scope",
        permissionsClaim: isAuthzTokenDialect(input.tokenDialect) ? "permissions" : null,
        requiredScopes: [...input.requiredScopes],
        maxTokenLifetimeSeconds: input.tokenLifetimeSeconds,
        clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
        resourceMetadataUrl: input.resourceMetadataUrl,
    };
}
