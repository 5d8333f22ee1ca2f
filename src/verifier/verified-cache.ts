import type { VerifiedToken } from "./verify";

/**
 * Tokens whose signature and claims were verified, so the same token on the next request of an MCP session is not
 * verified again (jose verifies through WebCrypto, whose RSA verify runs on the libuv thread pool: a round trip per
 * token). Keyed by the whole token string, so a hit is the exact same bytes. Time-dependent claims are checked
 * again on every hit; an entry lives at most `maxAgeMs` (the JWKS cache age, so a key withdrawn from the JWKS stops
 * being honoured no later than without this cache) and never past the token's `exp`. Failures are not cached.
 */
export class VerifiedTokenCache {
    private readonly entries = new Map<string, { verified: VerifiedToken; storedAt: number }>();

    constructor(
        private readonly maxEntries: number,
        private readonly maxAgeMs: number,
        private readonly clockToleranceSeconds: number,
        private readonly maxTokenLifetimeSeconds: number,
    ) {}

    get(token: string): VerifiedToken | undefined {
        const entry = this.entries.get(token);
        if (entry === undefined) return undefined;
        const nowMs = Date.now();
        const now = Math.floor(nowMs / 1000);
        const { expiresAt, issuedAt } = entry.verified;
        // The bounds jose applies on a full verification (jose src/lib/jwt_claims_set.ts validateClaimsSet:
        // `exp <= now - tolerance` is expired; `now - iat - tolerance > maxTokenAge` is too old).
        const expired = expiresAt <= now - this.clockToleranceSeconds;
        const tooOld = now - issuedAt - this.clockToleranceSeconds > this.maxTokenLifetimeSeconds;
        if (expired || tooOld || nowMs - entry.storedAt >= this.maxAgeMs) {
            this.entries.delete(token);
            return undefined;
        }
        return entry.verified;
    }

    set(token: string, verified: VerifiedToken): void {
        if (this.maxEntries <= 0) return;
        if (this.entries.size >= this.maxEntries) {
            // Oldest first: Map iteration follows insertion order.
            const oldest = this.entries.keys().next().value;
            if (oldest !== undefined) this.entries.delete(oldest);
        }
        this.entries.set(token, { verified, storedAt: Date.now() });
    }
}
