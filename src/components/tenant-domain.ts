/**
 * The Auth0 tenant domain (`auth0:domain`, e.g. `example-dev.us.auth0.com`) and the authorization-server URLs
 * derived from it. Auth0's issuer carries a trailing slash; token validation compares `iss` exactly, so the
 * slash matters.
 */

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Problems with a tenant domain value; empty when it is a bare, lowercase host name. */
export function tenantDomainProblems(raw: string): string[] {
    const value = raw.trim();
    if (value === "") return ["is empty; expected the tenant host name, e.g. example-dev.us.auth0.com"];
    const suggestion = suggestTenantDomain(value);
    const hint = suggestion && suggestion !== raw ? ` (write "${suggestion}")` : "";
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes("/")) {
        return [`must be a bare host name without scheme or path, e.g. example-dev.us.auth0.com${hint}`];
    }
    if (value !== raw) return [`has surrounding whitespace${hint}`];
    if (/[A-Z]/.test(value)) return [`must be lowercase${hint}`];
    const labels = value.split(".");
    if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l))) {
        return ["is not a valid host name; expected e.g. example-dev.us.auth0.com"];
    }
    return [];
}

function suggestTenantDomain(value: string): string | undefined {
    try {
        const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
        return url.hostname.toLowerCase();
    } catch {
        return undefined;
    }
}

/** `https://<domain>/`: the `iss` of every token the tenant signs and its RFC 8414 issuer identifier. */
export function issuerForDomain(domain: string): string {
    return `https://${domain}/`;
}

/** Where the tenant publishes its signing keys. */
export function jwksUriForDomain(domain: string): string {
    return `https://${domain}/.well-known/jwks.json`;
}
