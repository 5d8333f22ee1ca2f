import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { ValidationContract } from "../components/mcp-api/contract";
import { ContractError, parseValidationContract } from "./contract";
import { TokenRejectedError, insufficientScope, invalidToken } from "./errors";
import { DEFAULT_CACHE_MAX_AGE_MS, createKeySet, type KeySetOptions } from "./jwks";
import { VerifiedTokenCache } from "./verified-cache";

export interface VerifierOptions extends KeySetOptions {
    /** Tokens longer than this many characters are refused before any parsing. Default 8192. */
    maxTokenLength?: number;
    /**
     * How many verified tokens to remember, so a token reused across an MCP session's requests is verified once
     * (expiry still checked on every use). Default 1000; 0 verifies every time.
     */
    verifiedTokenCacheSize?: number;
}

/** What a verified token says, in the terms an MCP server needs. */
export interface VerifiedToken {
    subject: string;
    /** `client_id` (RFC 9068), else `azp` (Auth0's classic dialect). */
    clientId: string;
    /** `scope` split on spaces, plus `permissions` for `*_authz` dialects; no duplicates. */
    scopes: string[];
    /** `exp`, seconds since the epoch. */
    expiresAt: number;
    issuedAt: number;
    /** The contract's audience (the one this server is). */
    audience: string;
    /** Every claim, for application checks (e.g. `org_id`). */
    claims: JWTPayload;
}

export interface TokenVerifier {
    readonly contract: ValidationContract;
    /**
     * Verifies a compact JWS access token against the contract and checks that it carries the contract's
     * required scopes plus `requiredScopes`. Throws TokenRejectedError (`invalid_token` → 401,
     * `insufficient_scope` → 403, `temporarily_unavailable` → 503 when the signing keys cannot be fetched).
     */
    verify(token: string, requiredScopes?: readonly string[]): Promise<VerifiedToken>;
}

export const DEFAULT_MAX_TOKEN_LENGTH = 8192;

export function createTokenVerifier(contractInput: ValidationContract, options: VerifierOptions = {}): TokenVerifier {
    const contract = parseValidationContract(contractInput, "createTokenVerifier");
    const getKey = createKeySet(contract.jwksUri, options);
    const maxLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
    if (!Number.isInteger(maxLength) || maxLength < 512) {
        throw new ContractError(
            `createTokenVerifier: maxTokenLength ${maxLength} is too small for any Auth0 token; use at least 512 (default ${DEFAULT_MAX_TOKEN_LENGTH})`,
        );
    }
    const cache = new VerifiedTokenCache(
        options.verifiedTokenCacheSize ?? 1000,
        options.cacheMaxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS,
        contract.clockToleranceSeconds,
        contract.maxTokenLifetimeSeconds,
    );
    return {
        contract,
        async verify(token, requiredScopes = []) {
            let verified = cache.get(token);
            if (verified === undefined) {
                checkShape(token, contract, maxLength);
                verified = toVerifiedToken(await verifySignatureAndClaims(token, contract, getKey), contract);
                cache.set(token, verified);
            }
            const needed = [...new Set([...contract.requiredScopes, ...requiredScopes])];
            const missing = needed.filter((s) => !verified.scopes.includes(s));
            if (missing.length > 0) throw insufficientScope(missing, needed);
            return { ...verified, scopes: [...verified.scopes] };
        },
    };
}

/** Cheap refusals before any cryptography, each with its own reason. */
function checkShape(token: string, contract: ValidationContract, maxLength: number): void {
    if (typeof token !== "string" || token === "") throw invalidToken("the token is empty");
    if (token.length > maxLength) throw invalidToken(`the token is longer than ${maxLength} characters`);
    const segments = token.split(".");
    if (segments.length === 5) {
        throw invalidToken(
            "the token is encrypted (JWE); this server only reads signed tokens - turn off token encryption on the Auth0 API",
        );
    }
    if (segments.length !== 3)
        throw invalidToken("the token is not a compact JWS (three base64url segments separated by dots)");
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
        header = decodeProtectedHeader(token);
    } catch {
        throw invalidToken("the token header is not base64url-encoded JSON");
    }
    if ("enc" in header) throw invalidToken("the token is encrypted (JWE); this server only reads signed tokens");
    const alg = typeof header.alg === "string" ? header.alg : "";
    if (!contract.algorithms.includes(alg)) {
        if (alg.toLowerCase() === "none") throw invalidToken("unsigned tokens (alg none) are never accepted");
        if (/^HS/i.test(alg))
            throw invalidToken(
                `shared-secret signatures (HS*) are never accepted; expected ${contract.algorithms.join(" or ")}`,
            );
        throw invalidToken(`the token's signature algorithm is not ${contract.algorithms.join(" or ")}`);
    }
    if (typeof header.kid !== "string" || header.kid === "")
        throw invalidToken("the token header has no kid naming its signing key");
    if (!segments.every((s) => /^[A-Za-z0-9_-]+$/.test(s))) {
        throw invalidToken("the token is not a compact JWS (three base64url segments separated by dots)");
    }
}

async function verifySignatureAndClaims(
    token: string,
    contract: ValidationContract,
    getKey: JWTVerifyGetKey,
): Promise<JWTPayload> {
    try {
        const { payload } = await jwtVerify(token, getKey, {
            algorithms: contract.algorithms,
            issuer: contract.issuer,
            audience: contract.audience,
            typ: contract.tokenType,
            requiredClaims: contract.requiredClaims,
            clockTolerance: contract.clockToleranceSeconds,
            // Also refuses an `iat` in the future (beyond the tolerance).
            maxTokenAge: contract.maxTokenLifetimeSeconds,
        });
        return payload;
    } catch (e) {
        if (e instanceof TokenRejectedError) throw e;
        throw invalidToken(describeJoseFailure(e, contract), e);
    }
}

function describeJoseFailure(e: unknown, contract: ValidationContract): string {
    if (e instanceof errors.JWTExpired) return "the token has expired";
    if (e instanceof errors.JWTClaimValidationFailed) {
        const missing = e.reason === "missing";
        if (e.reason === "invalid") return `the token's ${e.claim} claim is not a valid value`;
        switch (e.claim) {
            case "iss":
                return missing ? "the token has no iss claim" : `iss is not the trusted issuer ${contract.issuer}`;
            case "aud":
                return missing
                    ? "the token has no aud claim"
                    : `aud does not include ${contract.audience}, the API this server is`;
            case "typ":
                return `the token header typ is not ${contract.tokenType}`;
            case "nbf":
                return "the token is not valid yet (nbf)";
            case "iat":
                return missing
                    ? "the token has no iat claim"
                    : "the token's iat is in the future or older than the maximum token lifetime";
            default:
                return missing ? `the token has no ${e.claim} claim` : `the token's ${e.claim} claim is invalid`;
        }
    }
    if (e instanceof errors.JWSSignatureVerificationFailed)
        return "the signature does not verify with the issuer's key";
    if (e instanceof errors.JWKSNoMatchingKey) return "no key in the issuer's JWKS matches the token's kid and alg";
    if (e instanceof errors.JOSEAlgNotAllowed)
        return `the token's signature algorithm is not ${contract.algorithms.join(" or ")}`;
    if (e instanceof errors.JWTInvalid) return "the token payload is not a JSON object of valid claims";
    if (e instanceof errors.JWSInvalid) return "the token is not a well-formed JWS";
    return "the token could not be verified";
}

function toVerifiedToken(claims: JWTPayload, contract: ValidationContract): VerifiedToken {
    const { exp, iat } = claims;
    if (typeof exp !== "number") throw invalidToken("the token has no exp claim");
    if (typeof iat !== "number") throw invalidToken("the token has no iat claim, so its lifetime cannot be checked");
    if (exp - iat > contract.maxTokenLifetimeSeconds) {
        throw invalidToken(
            `the token lives ${exp - iat} s, longer than this API's ${contract.maxTokenLifetimeSeconds} s`,
        );
    }
    if (typeof claims.sub !== "string" || claims.sub === "") throw invalidToken("the token has no sub claim");
    const clientId =
        typeof claims.client_id === "string"
            ? claims.client_id
            : typeof claims.azp === "string"
              ? claims.azp
              : undefined;
    if (clientId === undefined || clientId === "") throw invalidToken("the token names no client (client_id or azp)");

    const scope = claims[contract.scopeClaim];
    if (scope !== undefined && typeof scope !== "string")
        throw invalidToken("the scope claim is not a space-separated string");
    const scopes = new Set(typeof scope === "string" ? scope.split(" ").filter((s) => s !== "") : []);
    if (contract.permissionsClaim !== null) {
        const permissions = claims[contract.permissionsClaim];
        if (permissions !== undefined) {
            if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === "string")) {
                throw invalidToken("the permissions claim is not a list of strings");
            }
            for (const p of permissions) scopes.add(p);
        }
    }
    return {
        subject: claims.sub,
        clientId,
        scopes: [...scopes],
        expiresAt: exp,
        issuedAt: iat,
        audience: contract.audience,
        claims,
    };
}
