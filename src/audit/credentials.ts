/**
 * Management API credentials from the environment variables the Pulumi Auth0 provider reads (pulumi-auth0
 * provider/resources.go: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, AUTH0_API_TOKEN). Values are kept
 * out of every message: errors name the variable, never its content.
 */
import { CheckInputError } from "../check/errors";

type ManagementAuth =
    { kind: "client-credentials"; clientId: string; clientSecret: string } | { kind: "token"; token: string };

export interface AuditCredentials {
    /** Tenant domain, e.g. `example.eu.auth0.com` (no scheme, no path). */
    domain: string;
    auth: ManagementAuth;
    /**
     * Test-only: an http://127.0.0.1:<port> (or localhost) origin that receives every request meant for
     * https://<domain>, from AUTH0_MCP_MANAGEMENT_BASE_URL. Loopback only, so it cannot send credentials elsewhere.
     */
    baseUrl?: string;
}

export const ENV = {
    domain: "AUTH0_DOMAIN",
    clientId: "AUTH0_CLIENT_ID",
    clientSecret: "AUTH0_CLIENT_SECRET",
    token: "AUTH0_API_TOKEN",
    baseUrl: "AUTH0_MCP_MANAGEMENT_BASE_URL",
} as const;

const DOMAIN_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

function problem(what: string, variable: string, fix: string): CheckInputError {
    return new CheckInputError(what, `environment variable ${variable}`, fix);
}

/** The tenant domain as the provider accepts it: a host name, tolerated with a leading https:// and trailing slash. */
function normalizeDomain(raw: string): string {
    const trimmed = raw
        .trim()
        .replace(/^https:\/\//i, "")
        .replace(/\/+$/, "")
        .toLowerCase();
    if (!DOMAIN_PATTERN.test(trimmed)) {
        throw problem(
            "AUTH0_DOMAIN is not a tenant host name",
            ENV.domain,
            "set it to the tenant's domain without scheme or path, e.g. example.eu.auth0.com (or a custom domain)",
        );
    }
    return trimmed;
}

function loopbackOrigin(raw: string): string {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw problem(
            "AUTH0_MCP_MANAGEMENT_BASE_URL is not a URL",
            ENV.baseUrl,
            "unset it (it exists for tests against a local fake server)",
        );
    }
    if (
        url.protocol !== "http:" ||
        !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) ||
        url.pathname !== "/"
    ) {
        throw problem(
            "AUTH0_MCP_MANAGEMENT_BASE_URL must be a loopback origin such as http://127.0.0.1:8080",
            ENV.baseUrl,
            "unset it: it only redirects the audit to a local fake Management API in tests",
        );
    }
    return url.origin;
}

export function readCredentials(env: NodeJS.ProcessEnv = process.env): AuditCredentials {
    const get = (name: string) => {
        const v = env[name];
        return v === undefined || v.trim() === "" ? undefined : v.trim();
    };
    const rawDomain = get(ENV.domain);
    if (!rawDomain) {
        throw problem(
            "AUTH0_DOMAIN is not set",
            ENV.domain,
            "export AUTH0_DOMAIN=<tenant>.auth0.com (the same variable the Pulumi Auth0 provider reads)",
        );
    }
    const domain = normalizeDomain(rawDomain);
    const clientId = get(ENV.clientId);
    const clientSecret = get(ENV.clientSecret);
    const token = get(ENV.token);
    const base = get(ENV.baseUrl);
    const baseUrl = base ? { baseUrl: loopbackOrigin(base) } : {};
    if (clientId && clientSecret) {
        return { domain, auth: { kind: "client-credentials", clientId, clientSecret }, ...baseUrl };
    }
    if (token) {
        return { domain, auth: { kind: "token", token }, ...baseUrl };
    }
    if (clientId || clientSecret) {
        const missing = clientId ? ENV.clientSecret : ENV.clientId;
        throw problem(
            `${missing} is not set`,
            missing,
            `set both ${ENV.clientId} and ${ENV.clientSecret} of a machine-to-machine application, or ${ENV.token}`,
        );
    }
    throw problem(
        "no Management API credentials",
        `${ENV.clientId}/${ENV.clientSecret}/${ENV.token}`,
        `set ${ENV.clientId} and ${ENV.clientSecret} of a machine-to-machine application authorized for the Management API with read scopes only, or ${ENV.token}`,
    );
}
