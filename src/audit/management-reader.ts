/**
 * Reads a tenant through the Management API with the official `auth0` SDK, read-only: tenant settings, resource
 * servers, clients, client grants and connections, every page of each. Nothing is ever written: the SDK's fetch is
 * wrapped so that any request other than a `GET /api/v2/…` or the client-credentials `POST /oauth/token` is refused
 * before it leaves the process.
 *
 * A read either completes or fails with a {@link CheckInputError} (exit 2) saying which request failed, why, and what
 * to do: a partial tenant is never returned. Rate limits (429) are waited out as the response's `Retry-After` says
 * (else `X-RateLimit-Reset`, else a short backoff), within a bound; the SDK's own retry is off because it ignores
 * `Retry-After` (auth0 4.x lib/retry.js: exponential backoff only).
 */
import { ManagementClient } from "auth0";
import { CheckInputError } from "../check/errors";
import { Redactor } from "../check/secrets";
import type { AuditCredentials } from "./credentials";
import type { ApiObject } from "./mapping";

export interface LiveTenant {
    domain: string;
    settings: ApiObject;
    resourceServers: ApiObject[];
    clients: ApiObject[];
    clientGrants: ApiObject[];
    connections: ApiObject[];
    stats: ReadStats;
}

export interface ReadStats {
    /** HTTP requests sent, token requests included. */
    requests: number;
    /** 429 answers waited out. */
    rateLimited: number;
    /** Milliseconds spent waiting for rate limits. */
    waitedMs: number;
}

export interface ReadOptions {
    /** Items per page (Auth0 allows at most 100). */
    pageSize?: number;
    /** How many 429 answers in a row one request may wait out. */
    maxRateLimitRetries?: number;
    /** Longest single wait a 429 may ask for, in seconds; a longer Retry-After fails the read. */
    maxRetryAfterSeconds?: number;
    /** Per-request timeout in milliseconds. */
    timeoutMs?: number;
    /** Injected for tests; default setTimeout. */
    sleep?: (ms: number) => Promise<void>;
}

/** The scope each read needs; the README lists them for the machine-to-machine application. */
const REQUIRED_SCOPES = {
    "/tenants/settings": "read:tenant_settings",
    "/resource-servers": "read:resource_servers",
    "/clients": "read:clients",
    "/client-grants": "read:client_grants",
    "/connections": "read:connections",
} as const;

type Endpoint = keyof typeof REQUIRED_SCOPES;

const DEFAULTS = { pageSize: 100, maxRateLimitRetries: 5, maxRetryAfterSeconds: 60, timeoutMs: 30_000 };
/** A tenant with more pages than this is answering in a loop. */
const MAX_PAGES = 10_000;

/** A request the guard let through (method, path without query). */
export interface SentRequest {
    method: string;
    path: string;
}

class ReadOnlyViolation extends Error {}

/**
 * The SDK's fetch, restricted to reads and, in tests, pointed at a loopback origin. Records what it sent so errors
 * can name the request.
 */
export function guardedFetch(creds: AuditCredentials, sent: SentRequest[]): typeof fetch {
    const tenantOrigin = `https://${creds.domain}`;
    return async (input, init) => {
        const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
        const method = (
            init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET")
        ).toUpperCase();
        const allowed =
            (method === "GET" && url.pathname.startsWith("/api/v2/")) ||
            (method === "POST" && url.pathname === "/oauth/token");
        if (url.origin !== tenantOrigin || !allowed) {
            throw new ReadOnlyViolation(
                `refused ${method} ${url.origin}${url.pathname}: the audit only reads the tenant`,
            );
        }
        sent.push({ method, path: url.pathname });
        const target = creds.baseUrl ? new URL(`${url.pathname}${url.search}`, creds.baseUrl) : url;
        return fetch(target, init);
    };
}

interface HttpError {
    statusCode?: number;
    headers?: Headers;
    message?: string;
    cause?: unknown;
    name?: string;
}

/** Milliseconds a 429 asks to wait: Retry-After (seconds or HTTP date), else X-RateLimit-Reset (epoch seconds). */
export function retryDelayMs(headers: Headers | undefined, attempt: number, now = Date.now()): number {
    const retryAfter = headers?.get("retry-after");
    if (retryAfter) {
        const seconds = Number(retryAfter);
        if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
        const date = Date.parse(retryAfter);
        if (!Number.isNaN(date)) return Math.max(0, date - now);
    }
    const reset = Number(headers?.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
    return 500 * 2 ** attempt;
}

function describeCause(e: HttpError): string {
    const cause = e.cause as { code?: string; message?: string; cause?: { code?: string } } | undefined;
    const code = cause?.code ?? cause?.cause?.code;
    return code
        ? `${code}${cause?.message && !cause.message.includes(code) ? ` (${cause.message})` : ""}`
        : (cause?.message ?? e.message ?? "network error");
}

export class ManagementReader {
    private readonly client: ManagementClient;
    private readonly opts: Required<Omit<ReadOptions, "sleep">> & { sleep: (ms: number) => Promise<void> };
    private readonly redactor: Redactor;
    readonly sent: SentRequest[] = [];
    private readonly stats: ReadStats = { requests: 0, rateLimited: 0, waitedMs: 0 };

    constructor(
        private readonly creds: AuditCredentials,
        options: ReadOptions = {},
    ) {
        this.opts = {
            pageSize: options.pageSize ?? DEFAULTS.pageSize,
            maxRateLimitRetries: options.maxRateLimitRetries ?? DEFAULTS.maxRateLimitRetries,
            maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? DEFAULTS.maxRetryAfterSeconds,
            timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
            sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        };
        const common = {
            domain: creds.domain,
            fetch: guardedFetch(creds, this.sent),
            retry: { enabled: false },
            timeoutDuration: this.opts.timeoutMs,
            telemetry: true,
            clientInfo: { name: "auth0-mcp-audit" },
        };
        this.client =
            creds.auth.kind === "token"
                ? new ManagementClient({ ...common, token: creds.auth.token })
                : new ManagementClient({
                      ...common,
                      clientId: creds.auth.clientId,
                      clientSecret: creds.auth.clientSecret,
                  });
        this.redactor = new Redactor(
            creds.auth.kind === "token" ? [creds.auth.token] : [creds.auth.clientSecret, creds.auth.clientId],
        );
    }

    /** Reads the whole tenant. `onConnected` runs once the first answer (token and tenant settings) has come back. */
    async read(onConnected?: () => void): Promise<LiveTenant> {
        const settings = await this.call("/tenants/settings", () => this.client.tenants.getSettings());
        if (!isObject(settings)) throw this.shapeError("/tenants/settings", "an object");
        onConnected?.();
        const resourceServers = await this.pagedByOffset("/resource-servers", "resource_servers", (page, per_page) =>
            this.client.resourceServers.getAll({ page, per_page, include_totals: true }),
        );
        const clients = await this.pagedByCheckpoint("/clients", "clients", (from, take) =>
            this.client.clients.getAll({ take, ...(from ? { from } : {}) }),
        );
        const clientGrants = await this.pagedByCheckpoint("/client-grants", "client_grants", (from, take) =>
            this.client.clientGrants.getAll({ take, ...(from ? { from } : {}) }),
        );
        const connections = await this.pagedByCheckpoint("/connections", "connections", (from, take) =>
            this.client.connections.getAll({ take, ...(from ? { from } : {}) }),
        );
        return {
            domain: this.creds.domain,
            settings,
            resourceServers,
            clients,
            clientGrants,
            connections,
            stats: { ...this.stats, requests: this.sent.length },
        };
    }

    /** Checkpoint pagination (`from`/`take`, answer `{<key>: [...], next?}`): every page until there is no `next`. */
    private async pagedByCheckpoint(
        endpoint: Endpoint,
        key: string,
        fetchPage: (from: string | undefined, take: number) => Promise<{ data: unknown }>,
    ): Promise<ApiObject[]> {
        const items: ApiObject[] = [];
        const seen = new Set<string>();
        let from: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
            const body = await this.call(endpoint, () => fetchPage(from, this.opts.pageSize));
            const list = isObject(body) ? body[key] : undefined;
            if (!Array.isArray(list) || !list.every(isObject))
                throw this.shapeError(endpoint, `{"${key}": [objects], "next"?: string}`);
            items.push(...list);
            const next = (body as ApiObject)["next"];
            if (next === undefined || next === null || next === "") return items;
            if (typeof next !== "string") throw this.shapeError(endpoint, `a string "next" checkpoint`);
            if (seen.has(next)) {
                throw new CheckInputError(
                    `the Management API returned the checkpoint of an earlier page again after ${items.length} ${key}, so the list cannot be read completely`,
                    this.where(endpoint),
                    "run the audit again; a partial tenant is never reported",
                );
            }
            seen.add(next);
            from = next;
        }
        throw new CheckInputError(
            `more than ${MAX_PAGES} pages of ${key}`,
            this.where(endpoint),
            "report this tenant size; the audit stops rather than report part of it",
        );
    }

    /** Offset pagination with totals (`page`/`per_page`/`include_totals`): pages until `total` items are read. */
    private async pagedByOffset(
        endpoint: Endpoint,
        key: string,
        fetchPage: (page: number, perPage: number) => Promise<{ data: unknown }>,
    ): Promise<ApiObject[]> {
        const items: ApiObject[] = [];
        for (let page = 0; page < MAX_PAGES; page++) {
            const body = await this.call(endpoint, () => fetchPage(page, this.opts.pageSize));
            const list = isObject(body) ? body[key] : undefined;
            const total = isObject(body) ? body["total"] : undefined;
            if (!Array.isArray(list) || !list.every(isObject) || typeof total !== "number") {
                throw this.shapeError(endpoint, `{"${key}": [objects], "total": number, …}`);
            }
            items.push(...list);
            if (items.length >= total) return items;
            if (list.length === 0) {
                throw new CheckInputError(
                    `the Management API reported ${total} ${key} but page ${page} came back empty after ${items.length}`,
                    this.where(endpoint),
                    "run the audit again; a partial tenant is never reported",
                );
            }
        }
        throw new CheckInputError(
            `more than ${MAX_PAGES} pages of ${key}`,
            this.where(endpoint),
            "report this tenant size; the audit stops rather than report part of it",
        );
    }

    /** One SDK call with rate-limit waits; every failure becomes a CheckInputError naming the request. */
    private async call(endpoint: Endpoint, run: () => Promise<{ data: unknown }>): Promise<unknown> {
        for (let attempt = 0; ; attempt++) {
            const before = this.sent.length;
            try {
                return (await run()).data;
            } catch (raw) {
                const e = raw as HttpError;
                const last = this.sent[this.sent.length - 1];
                const isToken = last?.path === "/oauth/token" && this.sent.length > before;
                if (e.statusCode === 429 && attempt < this.opts.maxRateLimitRetries) {
                    const delay = retryDelayMs(e.headers, attempt);
                    if (delay <= this.opts.maxRetryAfterSeconds * 1000) {
                        this.stats.rateLimited++;
                        this.stats.waitedMs += delay;
                        await this.opts.sleep(delay);
                        continue;
                    }
                }
                throw this.failure(endpoint, e, attempt, isToken);
            }
        }
    }

    private where(endpoint: Endpoint, token = false): string {
        return token
            ? `POST https://${this.creds.domain}/oauth/token`
            : `GET https://${this.creds.domain}/api/v2${endpoint}`;
    }

    private shapeError(endpoint: Endpoint, expected: string): CheckInputError {
        return new CheckInputError(
            `the Management API answer is not shaped like Auth0's documented response (expected ${expected})`,
            this.where(endpoint),
            "check that AUTH0_DOMAIN is the tenant's domain and not a proxy; a partial tenant is never reported",
        );
    }

    private failure(endpoint: Endpoint, e: HttpError, attempt: number, token: boolean): CheckInputError {
        const { what, fix } = this.explain(endpoint, e, attempt, token);
        return new CheckInputError(this.redactor.redact(what), this.where(endpoint, token), this.redactor.redact(fix));
    }

    private explain(endpoint: Endpoint, e: HttpError, attempt: number, token: boolean): Explanation {
        // The SDK wraps what its fetch throws in a FetchError whose cause is the original error.
        const refused = e instanceof ReadOnlyViolation ? e : e.cause instanceof ReadOnlyViolation ? e.cause : undefined;
        if (refused) return { what: refused.message, fix: "this is a bug in auth0-mcp audit; please report it" };
        const status = e.statusCode;
        if (status === undefined) return this.explainNoAnswer(e);
        if (status === 401 || status === 403) return explainAuthRefusal(status, endpoint, token);
        if (status === 429) return this.explainRateLimit(e, attempt);
        if (status >= 500) {
            return {
                what: `Auth0 answered ${status}`,
                fix: "the tenant could not be read completely; run the audit again later (a partial tenant is never reported)",
            };
        }
        return {
            what: `unexpected answer ${status}`,
            fix: "check AUTH0_DOMAIN and the credentials; a partial tenant is never reported",
        };
    }

    /** A 429 that was not waited out: too many in a row, or a longer wait than the audit allows. */
    private explainRateLimit(e: HttpError, attempt: number): Explanation {
        const delay = retryDelayMs(e.headers, attempt);
        return {
            what:
                attempt >= this.opts.maxRateLimitRetries
                    ? `still rate limited (429) after waiting ${attempt} times`
                    : `rate limited (429) and asked to wait ${Math.ceil(delay / 1000)} s, more than the ${this.opts.maxRetryAfterSeconds} s the audit waits`,
            fix: "run the audit later or outside busy hours; a partial tenant is never reported",
        };
    }

    /** A request that got no HTTP status: a timeout, a body that is not JSON, a failed connection. */
    private explainNoAnswer(e: HttpError): Explanation {
        if (e.name === "TimeoutError") {
            return {
                what: `no answer within ${this.opts.timeoutMs / 1000} s`,
                fix: "check the network path to the tenant and run the audit again",
            };
        }
        if (e instanceof SyntaxError) {
            return {
                what: "the Management API answered with a body that is not JSON",
                fix: "check that AUTH0_DOMAIN is the tenant's domain and not a proxy or captive portal; a partial tenant is never reported",
            };
        }
        if (e.name === "FetchError" || e.cause !== undefined) {
            return {
                what: `the connection failed: ${describeCause(e)}`,
                fix: "check the network path to the tenant and run the audit again; a partial tenant is never reported",
            };
        }
        return {
            what: `the read failed: ${e.message ?? String(e)}`,
            fix: "run the audit again; a partial tenant is never reported",
        };
    }
}

/** What a failed request means and what to do about it, before secrets are redacted. */
interface Explanation {
    what: string;
    fix: string;
}

/** 401 and 403: on the token request the client credentials are refused, on a read the token is. */
function explainAuthRefusal(status: 401 | 403, endpoint: Endpoint, token: boolean): Explanation {
    if (status === 401) {
        return token
            ? {
                  what: "Auth0 refused the client credentials (401)",
                  fix: "check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET: a machine-to-machine application of this tenant, authorized for the Management API",
              }
            : {
                  what: "the Management API refused the access token (401)",
                  fix: "check AUTH0_API_TOKEN (expired or for another tenant) or the client credentials' application",
              };
    }
    return token
        ? {
              what: "Auth0 refused to issue a Management API token (403)",
              fix: "authorize the application for the Auth0 Management API with the read scopes in the README",
          }
        : {
              what: `the token lacks the scope for this read (403)`,
              fix: `grant ${REQUIRED_SCOPES[endpoint]} to the application (read scopes only)`,
          };
}

function isObject(v: unknown): v is ApiObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
