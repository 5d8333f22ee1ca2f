/**
 * A fake Auth0 Management API on 127.0.0.1 speaking real HTTP, shaped like Auth0's documented responses:
 * POST /oauth/token (client credentials), GET /api/v2/tenants/settings, /resource-servers (offset pages with
 * totals), /clients, /client-grants and /connections (checkpoint pages: `take`, `from`, `next`). Faults can be
 * injected per path; every request is recorded.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export type ApiObject = Record<string, unknown>;

export interface TenantFixture {
    settings: ApiObject;
    resourceServers: ApiObject[];
    clients: ApiObject[];
    clientGrants: ApiObject[];
    connections: ApiObject[];
}

export type Fault =
    | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
    | { kind: "reset" }
    | { kind: "malformed" };

export interface FaultRule {
    /** Path the fault applies to, e.g. "/api/v2/clients" or "/oauth/token". */
    path: string;
    /** Only the n-th request to that path (1-based) and the following `times - 1`; default: the first. */
    from?: number;
    times?: number;
    fault: Fault;
}

export interface RecordedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    authorization: string | undefined;
    body: string;
}

export const CLIENT_ID = "m2m_audit_client";
export const CLIENT_SECRET = "s3cr3t-audit-client-secret-value";
const ACCESS_TOKEN = "eyJ.fake-management-access-token.sig";

export interface FakeManagementApi {
    url: string;
    requests: RecordedRequest[];
    faults: FaultRule[];
    close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
}

function checkpointPage(items: ApiObject[], key: string, query: Record<string, string>) {
    const take = Math.min(Number(query["take"] ?? 50), 100);
    const start = query["from"] ? Number(Buffer.from(query["from"], "base64url").toString()) : 0;
    const page = items.slice(start, start + take);
    const end = start + page.length;
    return { [key]: page, ...(end < items.length ? { next: Buffer.from(String(end)).toString("base64url") } : {}) };
}

function offsetPage(items: ApiObject[], key: string, query: Record<string, string>) {
    const perPage = Math.min(Number(query["per_page"] ?? 50), 100);
    const page = Number(query["page"] ?? 0);
    const slice = items.slice(page * perPage, page * perPage + perPage);
    return query["include_totals"] === "true"
        ? { [key]: slice, start: page * perPage, limit: perPage, total: items.length }
        : slice;
}

export async function startFakeManagementApi(
    tenant: TenantFixture,
    opts: { latencyMs?: number } = {},
): Promise<FakeManagementApi> {
    const requests: RecordedRequest[] = [];
    const faults: FaultRule[] = [];
    const counts = new Map<string, number>();

    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://127.0.0.1");
            const query = Object.fromEntries(url.searchParams.entries());
            requests.push({
                method: req.method ?? "",
                path: url.pathname,
                query,
                authorization: req.headers.authorization,
                body,
            });
            const n = (counts.get(url.pathname) ?? 0) + 1;
            counts.set(url.pathname, n);
            const rule = faults.find(
                (f) => f.path === url.pathname && n >= (f.from ?? 1) && n < (f.from ?? 1) + (f.times ?? 1),
            );
            const respond = () => {
                if (rule) {
                    const f = rule.fault;
                    if (f.kind === "reset") return req.socket.destroy();
                    if (f.kind === "malformed") {
                        res.writeHead(200, { "content-type": "application/json" });
                        return res.end('{"clients": [{"client_id": "abc", ');
                    }
                    return send(
                        res,
                        f.status,
                        f.body ?? { statusCode: f.status, error: http.STATUS_CODES[f.status], message: "injected" },
                        f.headers,
                    );
                }
                route(req.method ?? "", url.pathname, query, body, req.headers.authorization, res, tenant);
            };
            if (opts.latencyMs) setTimeout(respond, opts.latencyMs);
            else respond();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        faults,
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

function route(
    method: string,
    path: string,
    query: Record<string, string>,
    body: string,
    authorization: string | undefined,
    res: http.ServerResponse,
    t: TenantFixture,
) {
    if (method === "POST" && path === "/oauth/token") {
        let params: Record<string, string>;
        try {
            params = body.trim().startsWith("{") ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body));
        } catch {
            return send(res, 400, { error: "invalid_request", error_description: "malformed body" });
        }
        if (
            params["grant_type"] !== "client_credentials" ||
            params["client_id"] !== CLIENT_ID ||
            params["client_secret"] !== CLIENT_SECRET
        ) {
            return send(res, 401, { error: "access_denied", error_description: "Unauthorized" });
        }
        return send(res, 200, {
            access_token: ACCESS_TOKEN,
            expires_in: 86400,
            token_type: "Bearer",
            scope: "read:clients",
        });
    }
    if (authorization !== `Bearer ${ACCESS_TOKEN}`) {
        return send(res, 401, {
            statusCode: 401,
            error: "Unauthorized",
            message: "Invalid token",
            attributes: { error: "Invalid token" },
        });
    }
    if (method !== "GET")
        return send(res, 405, { statusCode: 405, error: "Method Not Allowed", message: "read-only fake" });
    switch (path) {
        case "/api/v2/tenants/settings":
            return send(res, 200, t.settings);
        case "/api/v2/resource-servers":
            return send(res, 200, offsetPage(t.resourceServers, "resource_servers", query));
        case "/api/v2/clients":
            return send(res, 200, checkpointPage(t.clients, "clients", query));
        case "/api/v2/client-grants":
            return send(res, 200, checkpointPage(t.clientGrants, "client_grants", query));
        case "/api/v2/connections":
            return send(res, 200, checkpointPage(t.connections, "connections", query));
        default:
            return send(res, 404, { statusCode: 404, error: "Not Found", message: "Not Found" });
    }
}

export const ACCESS_TOKEN_FOR_TESTS = ACCESS_TOKEN;
