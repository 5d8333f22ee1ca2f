import type { IncomingMessage, ServerResponse } from "node:http";
import type { ValidationContract } from "../components/mcp-api/contract";
import { TokenRejectedError } from "./errors";
import { type McpAuthInfo, toAuthInfo } from "./auth-info";
import type { TokenVerifier } from "./verify";

/** A response to send instead of serving the request. */
export interface Refusal {
    status: number;
    headers: Record<string, string>;
    /** RFC 6749 §5.2-style body; absent when the request carried no credentials at all. */
    body: { error: string; error_description: string } | undefined;
}

/**
 * The token from an `Authorization: Bearer <token>` header (RFC 6750 §2.1). Undefined when the request carries no
 * Bearer credentials (no header, or another scheme); a Bearer header without a single token is `invalid_request`.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
    if (authorization === undefined) return undefined;
    const match = /^Bearer(?: +(.*))?$/i.exec(authorization.trim());
    if (!match) return undefined;
    const token = match[1];
    if (token === undefined || token === "" || /\s/.test(token)) {
        throw new TokenRejectedError(
            "invalid_request",
            "the Authorization header must be 'Bearer' followed by one token",
        );
    }
    return token;
}

/** RFC 6750 §3 only allows %x20-21 / %x23-5B / %x5D-7E inside error_description and scope. */
function quoted(value: string): string {
    return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "?")}"`;
}

/**
 * The `WWW-Authenticate` challenge (RFC 6750 §3, RFC 9728 §5.1). Without an error — the request had no credentials —
 * it carries no error code (RFC 6750 §3.1) but the metadata URL and the scopes needed, as the MCP authorization spec
 * shows for its first 401.
 */
export function wwwAuthenticate(contract: ValidationContract, error?: TokenRejectedError): string {
    const params = [`resource_metadata=${quoted(contract.resourceMetadataUrl)}`];
    if (error) params.push(`error=${quoted(error.code)}`);
    const scopes = error?.code === "insufficient_scope" ? error.requiredScopes : error ? [] : contract.requiredScopes;
    if (scopes.length > 0) params.push(`scope=${quoted(scopes.join(" "))}`);
    if (error) params.push(`error_description=${quoted(error.message)}`);
    return `Bearer ${params.join(", ")}`;
}

/** The response for a refused request; `undefined` error means no credentials were sent. */
export function refusal(contract: ValidationContract, error?: TokenRejectedError): Refusal {
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (error === undefined) {
        headers["WWW-Authenticate"] = wwwAuthenticate(contract);
        return { status: 401, headers, body: undefined };
    }
    if (error.code === "temporarily_unavailable") {
        headers["Retry-After"] = String(error.retryAfterSeconds ?? 5);
    } else {
        headers["WWW-Authenticate"] = wwwAuthenticate(contract, error);
    }
    return { status: error.status, headers, body: { error: error.code, error_description: error.message } };
}

export function sendRefusal(res: ServerResponse, refused: Refusal): void {
    const body = refused.body === undefined ? "" : JSON.stringify(refused.body);
    res.writeHead(refused.status, {
        ...refused.headers,
        ...(refused.body === undefined ? {} : { "Content-Type": "application/json" }),
        "Content-Length": String(Buffer.byteLength(body)),
    });
    res.end(body);
}

export interface AuthenticatedRequest extends IncomingMessage {
    auth?: McpAuthInfo;
}

/**
 * Connect/Express-style middleware (also usable with plain node:http): verifies the Bearer token, sets `req.auth`
 * (the MCP SDK's AuthInfo shape) and calls `next()`, or answers 400/401/403/503 itself. Errors it did not expect
 * are passed to `next(error)`.
 */
export function bearerAuth(verifier: TokenVerifier, options: { requiredScopes?: readonly string[] } = {}) {
    return (req: AuthenticatedRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
        authenticate(verifier, req.headers.authorization, options.requiredScopes).then(
            (result) => {
                if ("refusal" in result) return sendRefusal(res, result.refusal);
                req.auth = result.auth;
                next();
            },
            (error: unknown) => next(error),
        );
    };
}

/** Framework-neutral core of bearerAuth: the AuthInfo to attach, or the response to send. */
export async function authenticate(
    verifier: TokenVerifier,
    authorization: string | undefined,
    requiredScopes: readonly string[] = [],
): Promise<{ auth: McpAuthInfo } | { refusal: Refusal }> {
    try {
        const token = bearerToken(authorization);
        if (token === undefined) return { refusal: refusal(verifier.contract) };
        return { auth: toAuthInfo(token, await verifier.verify(token, requiredScopes)) };
    } catch (e) {
        if (e instanceof TokenRejectedError) return { refusal: refusal(verifier.contract, e) };
        throw e;
    }
}
