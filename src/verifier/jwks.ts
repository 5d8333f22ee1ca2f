import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from "jose";
import { keySetUnavailable } from "./errors";

export const DEFAULT_CACHE_MAX_AGE_MS = 600_000;

export interface KeySetOptions {
    /** Minimum time between two refetches triggered by an unknown `kid` (jose `cooldownDuration`). Default 30 s. */
    refetchCooldownMs?: number;
    /** How long a fetched key set is used before it is fetched again (jose `cacheMaxAge`). Default 10 min. */
    cacheMaxAgeMs?: number;
    /** Timeout of one JWKS request (jose `timeoutDuration`). Default 5 s. */
    fetchTimeoutMs?: number;
    /** After a failed fetch, answer without fetching again for this long. Default 5 s. */
    failureBackoffMs?: number;
}

/**
 * The tenant's signing keys, fetched and cached by jose's remote key set (jose src/jwks/remote.ts
 * createRemoteJWKSet): fetched once, reused for `cacheMaxAgeMs`, refetched once when a token names an unknown
 * `kid` (key rotation) but not more often than `refetchCooldownMs`, concurrent fetches coalesced.
 * What jose leaves to the caller is added here: a fetch failure becomes "temporarily unavailable" (the server's
 * problem, never "invalid token"), and for `failureBackoffMs` after a failure no request fetches again — tokens
 * that need a fetch are refused at once — so a dead JWKS endpoint is not hit by every incoming request.
 */
export function createKeySet(jwksUri: string, options: KeySetOptions = {}): JWTVerifyGetKey {
    const backoffMs = options.failureBackoffMs ?? 5_000;
    let failedAt = Number.NEGATIVE_INFINITY;
    let lastFailure = "";
    const remote = createRemoteJWKSet(new URL(jwksUri), {
        cooldownDuration: options.refetchCooldownMs ?? 30_000,
        cacheMaxAge: options.cacheMaxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS,
        timeoutDuration: options.fetchTimeoutMs ?? 5_000,
    });

    return async (header, token) => {
        const waited = Date.now() - failedAt;
        if (waited < backoffMs) {
            if (!remote.fresh) throw keySetUnavailable(jwksUri, lastFailure, Math.ceil((backoffMs - waited) / 1000));
            // Keys are cached but the last refetch failed: an unknown kid must not trigger another fetch now.
            const known = remote.jwks()?.keys.some((k) => k.kid === header.kid) ?? false;
            if (!known) throw new errors.JWKSNoMatchingKey();
        }
        try {
            return await remote(header, token);
        } catch (e) {
            // No key for this kid/alg, after the one refetch jose allows, is the token's problem. When several keys
            // match, jose tries each itself.
            if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
            failedAt = Date.now();
            lastFailure = describeFetchFailure(e);
            throw keySetUnavailable(jwksUri, lastFailure, Math.max(1, Math.ceil(backoffMs / 1000)), e);
        }
    };
}

function describeFetchFailure(e: unknown): string {
    if (e instanceof errors.JWKSTimeout) return "the request timed out";
    if (e instanceof errors.JWKSInvalid) return "the response is not a usable JSON Web Key Set";
    if (e instanceof errors.JOSEError) return e.message.replace(/"/g, "'");
    const cause = (e as { cause?: { code?: string } }).cause;
    return cause?.code ? `connection failed: ${cause.code}` : "the request failed";
}
