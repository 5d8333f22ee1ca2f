/**
 * The Management API reader against a fake Management API on loopback (real HTTP, the auth0 SDK's own client):
 * every page of every list, rate limits waited out as Retry-After says, and each failure a user can hit turned into
 * one message that says what, where and what to do — never a partial tenant.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CheckInputError } from "../../src/check/errors";
import { readCredentials, type AuditCredentials } from "../../src/audit/credentials";
import { guardedFetch, ManagementReader, retryDelayMs, type SentRequest } from "../../src/audit/management-reader";
import {
    ACCESS_TOKEN_FOR_TESTS,
    CLIENT_ID,
    CLIENT_SECRET,
    startFakeManagementApi,
    type FakeManagementApi,
    type TenantFixture,
} from "./fake-management-api";
import { DOMAIN, issueTenant, manyClients } from "./fixtures";
import { defined } from "../helpers/defined";

let api: FakeManagementApi | undefined;
afterEach(async () => {
    await api?.close();
    api = undefined;
});

function creds(over: Partial<Record<string, string>> = {}): AuditCredentials {
    return readCredentials({
        AUTH0_DOMAIN: DOMAIN,
        AUTH0_CLIENT_ID: CLIENT_ID,
        AUTH0_CLIENT_SECRET: CLIENT_SECRET,
        AUTH0_MCP_MANAGEMENT_BASE_URL: fake().url,
        ...over,
    });
}

/** The fake Management API the running test started. */
function fake(): FakeManagementApi {
    return defined(api, "a started fake Management API");
}

async function start(tenant: TenantFixture = issueTenant()) {
    api = await startFakeManagementApi(tenant);
    return api;
}

/** Sleeps recorded instead of waited. */
function recordingSleep() {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function failure(reader: ManagementReader): Promise<CheckInputError> {
    const e = await reader.read().then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CheckInputError);
    return e as CheckInputError;
}

describe("reading every page", () => {
    it("follows checkpoint pages (clients, grants, connections) and offset pages with totals (resource servers)", async () => {
        const tenant = issueTenant();
        tenant.clients.push(...manyClients(6));
        await start(tenant);
        const reader = new ManagementReader(creds(), { pageSize: 2 });
        const live = await reader.read();
        expect(live.clients.map((c) => c["client_id"])).toEqual(tenant.clients.map((c) => c["client_id"]));
        expect(live.resourceServers).toHaveLength(3);
        expect(live.connections).toHaveLength(2);
        expect(live.clientGrants).toHaveLength(2);
        const clientPages = fake().requests.filter((r) => r.path === "/api/v2/clients");
        expect(clientPages).toHaveLength(Math.ceil(tenant.clients.length / 2));
        expect(defined(clientPages[0], "a first page of clients").query).toEqual({ take: "2" });
        expect(defined(clientPages[1], "a second page of clients").query["from"]).toBeTruthy();
        expect(
            fake()
                .requests.filter((r) => r.path === "/api/v2/resource-servers")
                .map((r) => r.query["page"]),
        ).toEqual(["0", "1"]);
        expect(live.stats.requests).toBe(fake().requests.length);
    });

    it("sends only the token request and GETs, with the token it was issued", async () => {
        await start();
        await new ManagementReader(creds()).read();
        const shapes = new Set(fake().requests.map((r) => `${r.method} ${r.path}`));
        expect([...shapes].sort()).toEqual([
            "GET /api/v2/client-grants",
            "GET /api/v2/clients",
            "GET /api/v2/connections",
            "GET /api/v2/resource-servers",
            "GET /api/v2/tenants/settings",
            "POST /oauth/token",
        ]);
        expect(fake().requests.filter((r) => r.method === "POST")).toHaveLength(1);
        expect(
            fake()
                .requests.filter((r) => r.method === "GET")
                .every((r) => r.authorization === `Bearer ${ACCESS_TOKEN_FOR_TESTS}`),
        ).toBe(true);
    });

    it("uses AUTH0_API_TOKEN without a token request", async () => {
        await start();
        await new ManagementReader(
            creds({ AUTH0_CLIENT_ID: "", AUTH0_CLIENT_SECRET: "", AUTH0_API_TOKEN: ACCESS_TOKEN_FOR_TESTS }),
        ).read();
        expect(fake().requests.every((r) => r.method === "GET")).toBe(true);
    });

    it("refuses any write before it leaves the process, and any other host", async () => {
        await start();
        const sent: SentRequest[] = [];
        const f = guardedFetch(creds(), sent);
        await expect(f(`https://${DOMAIN}/api/v2/clients/abc`, { method: "DELETE" })).rejects.toThrow(
            /refused DELETE .*the audit only reads the tenant/,
        );
        await expect(f(`https://${DOMAIN}/api/v2/clients`, { method: "POST", body: "{}" })).rejects.toThrow(
            /refused POST/,
        );
        await expect(f(`https://evil.example/api/v2/clients`, { method: "GET" })).rejects.toThrow(
            /refused GET https:\/\/evil.example/,
        );
        expect(sent).toEqual([]);
        expect(fake().requests).toEqual([]);
    });
});

describe("rate limits", () => {
    it("waits as long as Retry-After says, then reads on", async () => {
        await start();
        fake().faults.push({
            path: "/api/v2/clients",
            fault: {
                kind: "status",
                status: 429,
                headers: { "retry-after": "2" },
                body: { statusCode: 429, error: "Too Many Requests", message: "Global limit has been reached" },
            },
        });
        const { waits, sleep } = recordingSleep();
        const live = await new ManagementReader(creds(), { sleep }).read();
        expect(waits).toEqual([2000]);
        expect(live.clients).toHaveLength(issueTenant().clients.length);
        expect(live.stats).toMatchObject({ rateLimited: 1, waitedMs: 2000 });
    });

    it("waits out a rate-limited token request the same way", async () => {
        await start();
        fake().faults.push({
            path: "/oauth/token",
            fault: {
                kind: "status",
                status: 429,
                headers: { "retry-after": "1" },
                body: { error: "too_many_requests", error_description: "Rate limit exceeded" },
            },
        });
        const { waits, sleep } = recordingSleep();
        const live = await new ManagementReader(creds(), { sleep }).read();
        expect(waits).toEqual([1000]);
        expect(live.settings["friendly_name"]).toBe("ACME MCP");
        expect(fake().requests.filter((r) => r.path === "/oauth/token")).toHaveLength(2);
    });

    it("reads Retry-After as an HTTP date and falls back to X-RateLimit-Reset", () => {
        const now = Date.parse("2026-11-28T08:00:00Z");
        expect(retryDelayMs(new Headers({ "retry-after": "Sat, 28 Nov 2026 08:00:05 GMT" }), 0, now)).toBe(5000);
        expect(retryDelayMs(new Headers({ "x-ratelimit-reset": String(now / 1000 + 3) }), 0, now)).toBe(3000);
        expect(retryDelayMs(new Headers(), 2, now)).toBe(2000);
    });

    it("fails with exit-2 advice when asked to wait longer than the bound", async () => {
        await start();
        fake().faults.push({
            path: "/api/v2/connections",
            fault: { kind: "status", status: 429, headers: { "retry-after": "3600" } },
        });
        const { waits, sleep } = recordingSleep();
        const e = await failure(new ManagementReader(creds(), { sleep }));
        expect(waits).toEqual([]);
        expect(e.oneLine()).toBe(
            `rate limited (429) and asked to wait 3600 s, more than the 60 s the audit waits (GET https://${DOMAIN}/api/v2/connections): run the audit later or outside busy hours; a partial tenant is never reported`,
        );
    });

    it("gives up after a bounded number of waits", async () => {
        await start();
        fake().faults.push({
            path: "/api/v2/client-grants",
            times: 10,
            fault: { kind: "status", status: 429, headers: { "retry-after": "1" } },
        });
        const { waits, sleep } = recordingSleep();
        const e = await failure(new ManagementReader(creds(), { sleep, maxRateLimitRetries: 3 }));
        expect(waits).toEqual([1000, 1000, 1000]);
        expect(e.oneLine()).toContain("still rate limited (429) after waiting 3 times");
    });
});

describe("failures a user sees (exit 2, never a partial tenant)", () => {
    it("401 for bad client credentials names the token endpoint and the variables, not their values", async () => {
        await start();
        const e = await failure(new ManagementReader(creds({ AUTH0_CLIENT_SECRET: "wrong-secret-value" })));
        expect(e.oneLine()).toBe(
            `Auth0 refused the client credentials (401) (POST https://${DOMAIN}/oauth/token): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET: a machine-to-machine application of this tenant, authorized for the Management API`,
        );
        expect(e.oneLine()).not.toContain("wrong-secret-value");
    });

    it("401 for a bad API token", async () => {
        await start();
        const e = await failure(
            new ManagementReader(
                creds({ AUTH0_CLIENT_ID: "", AUTH0_CLIENT_SECRET: "", AUTH0_API_TOKEN: "expired.token.value" }),
            ),
        );
        expect(e.oneLine()).toBe(
            `the Management API refused the access token (401) (GET https://${DOMAIN}/api/v2/tenants/settings): check AUTH0_API_TOKEN (expired or for another tenant) or the client credentials' application`,
        );
        expect(e.oneLine()).not.toContain("expired.token.value");
    });

    it("403 names the missing read scope", async () => {
        await start();
        fake().faults.push({
            path: "/api/v2/client-grants",
            fault: {
                kind: "status",
                status: 403,
                body: {
                    statusCode: 403,
                    error: "Forbidden",
                    message: "Insufficient scope, expected any of: read:client_grants",
                    errorCode: "insufficient_scope",
                },
            },
        });
        const e = await failure(new ManagementReader(creds()));
        expect(e.oneLine()).toBe(
            `the token lacks the scope for this read (403) (GET https://${DOMAIN}/api/v2/client-grants): grant read:client_grants to the application (read scopes only)`,
        );
    });

    it("a 5xx on a later page fails the whole read", async () => {
        const tenant = issueTenant();
        tenant.clients.push(...manyClients(6));
        await start(tenant);
        fake().faults.push({
            path: "/api/v2/clients",
            from: 3,
            fault: {
                kind: "status",
                status: 503,
                body: { statusCode: 503, error: "Service Unavailable", message: "try later" },
            },
        });
        const e = await failure(new ManagementReader(creds(), { pageSize: 2 }));
        expect(e.oneLine()).toBe(
            `Auth0 answered 503 (GET https://${DOMAIN}/api/v2/clients): the tenant could not be read completely; run the audit again later (a partial tenant is never reported)`,
        );
    });

    it("a connection reset", async () => {
        await start();
        fake().faults.push({ path: "/api/v2/resource-servers", fault: { kind: "reset" } });
        const e = await failure(new ManagementReader(creds()));
        expect(e.oneLine()).toMatch(
            new RegExp(
                `^the connection failed: (ECONNRESET|UND_ERR_SOCKET|other side closed).* \\(GET https://${DOMAIN.replace(/\./g, "\\.")}/api/v2/resource-servers\\): check the network path to the tenant and run the audit again; a partial tenant is never reported$`,
            ),
        );
    });

    it("a body that is not JSON", async () => {
        await start();
        fake().faults.push({ path: "/api/v2/clients", fault: { kind: "malformed" } });
        const e = await failure(new ManagementReader(creds()));
        expect(e.oneLine()).toBe(
            `the Management API answered with a body that is not JSON (GET https://${DOMAIN}/api/v2/clients): check that AUTH0_DOMAIN is the tenant's domain and not a proxy or captive portal; a partial tenant is never reported`,
        );
    });

    it("JSON that is not shaped like Auth0's response", async () => {
        await start();
        fake().faults.push({
            path: "/api/v2/resource-servers",
            fault: { kind: "status", status: 200, body: { resource_servers: [] } },
        });
        const e = await failure(new ManagementReader(creds()));
        expect(e.oneLine()).toContain(
            `the Management API answer is not shaped like Auth0's documented response (expected {"resource_servers": [objects], "total": number, …})`,
        );
    });
});

describe("credentials from the provider's environment variables", () => {
    it("explains what is missing without printing values", () => {
        expect(() => readCredentials({})).toThrow(/AUTH0_DOMAIN is not set \(environment variable AUTH0_DOMAIN\)/);
        expect(() => readCredentials({ AUTH0_DOMAIN: DOMAIN, AUTH0_CLIENT_ID: "abc" })).toThrow(
            /AUTH0_CLIENT_SECRET is not set/,
        );
        expect(() => readCredentials({ AUTH0_DOMAIN: DOMAIN })).toThrow(/no Management API credentials/);
        expect(() => readCredentials({ AUTH0_DOMAIN: "https://bad domain/", AUTH0_API_TOKEN: "t" })).toThrow(
            /AUTH0_DOMAIN is not a tenant host name/,
        );
        expect(readCredentials({ AUTH0_DOMAIN: "https://Acme.EU.auth0.com/", AUTH0_API_TOKEN: "t" }).domain).toBe(
            "acme.eu.auth0.com",
        );
    });

    it("accepts only a loopback origin as the test base URL", () => {
        expect(() =>
            readCredentials({
                AUTH0_DOMAIN: DOMAIN,
                AUTH0_API_TOKEN: "t",
                AUTH0_MCP_MANAGEMENT_BASE_URL: "http://attacker.example",
            }),
        ).toThrow(/must be a loopback origin/);
        expect(
            readCredentials({
                AUTH0_DOMAIN: DOMAIN,
                AUTH0_API_TOKEN: "t",
                AUTH0_MCP_MANAGEMENT_BASE_URL: "http://127.0.0.1:9",
            }).baseUrl,
        ).toBe("http://127.0.0.1:9");
    });
});
