/**
 * Why a request was refused, in the terms of RFC 6750 §3.1 and of the HTTP status a server answers with.
 * Descriptions are written from fixed text and the contract's own values: they never contain the token or any
 * value read from it (a token's claims are attacker-controlled and would end up in a response header).
 */

export type RejectionCode = "invalid_request" | "invalid_token" | "insufficient_scope" | "temporarily_unavailable";

const STATUS: Record<RejectionCode, number> = {
    invalid_request: 400,
    invalid_token: 401,
    insufficient_scope: 403,
    temporarily_unavailable: 503,
};

export class TokenRejectedError extends Error {
    readonly code: RejectionCode;
    readonly status: number;
    /** Scopes the request needs (RFC 6750 `scope` attribute); set for `insufficient_scope`. */
    readonly requiredScopes: readonly string[];
    /** Seconds after which a retry may succeed; set for `temporarily_unavailable`. */
    readonly retryAfterSeconds: number | undefined;

    constructor(
        code: RejectionCode,
        description: string,
        details: { requiredScopes?: readonly string[]; retryAfterSeconds?: number; cause?: unknown } = {},
    ) {
        super(description, details.cause === undefined ? undefined : { cause: details.cause });
        this.name = "TokenRejectedError";
        this.code = code;
        this.status = STATUS[code];
        this.requiredScopes = details.requiredScopes ?? [];
        this.retryAfterSeconds = details.retryAfterSeconds;
    }
}

export function invalidToken(description: string, cause?: unknown): TokenRejectedError {
    return new TokenRejectedError("invalid_token", description, { cause });
}

export function insufficientScope(missing: readonly string[], required: readonly string[]): TokenRejectedError {
    return new TokenRejectedError(
        "insufficient_scope",
        `the token lacks the scope(s) ${missing.join(" ")}; request a token with ${required.join(" ")}`,
        { requiredScopes: required },
    );
}

/** The signing keys could not be obtained: the server's problem, not the client's token. */
export function keySetUnavailable(
    jwksUri: string,
    reason: string,
    retryAfterSeconds: number,
    cause?: unknown,
): TokenRejectedError {
    return new TokenRejectedError(
        "temporarily_unavailable",
        `the signing keys at ${jwksUri} could not be loaded (${reason}); tokens cannot be checked until they can`,
        { retryAfterSeconds, cause },
    );
}
