/**
 * Canonical resource URIs as the MCP authorization spec (RFC 8707 / RFC 9728) wants them: https, lowercase
 * scheme and host, no fragment, no trailing slash, no default port. `http://localhost` (and 127.0.0.1, [::1])
 * only when the caller opts in for local development.
 */

interface CanonicalUriOptions {
    /** Accept `http://localhost`, `http://127.0.0.1` and `http://[::1]` (local development only). */
    allowLocalhostHttp?: boolean;
}

interface CanonicalUriResult {
    /** The canonical form, or undefined when the value is not a usable absolute URI at all. */
    canonical: string | undefined;
    /** Why the input is not canonical, one phrase each; empty when the input is already canonical. */
    problems: string[];
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function canonicalizeResourceUri(raw: string, options: CanonicalUriOptions = {}): CanonicalUriResult {
    const problems: string[] = [];
    let url: URL;
    try {
        url = new URL(raw.trim());
    } catch {
        return { canonical: undefined, problems: ["is not an absolute URI"] };
    }
    if (raw !== raw.trim()) problems.push("has surrounding whitespace");

    const scheme = url.protocol.slice(0, -1);
    const isLocal = LOCAL_HOSTS.has(url.hostname);
    if (scheme === "http") {
        if (!isLocal) return { canonical: undefined, problems: ["must use https"] };
        if (!options.allowLocalhostHttp) {
            return {
                canonical: undefined,
                problems: ["uses http://localhost, which is allowed only when local development is enabled"],
            };
        }
    } else if (scheme !== "https") {
        return { canonical: undefined, problems: [`must use https, not ${scheme}`] };
    }
    if (url.username || url.password) return { canonical: undefined, problems: ["must not contain credentials"] };

    const schemeAndAuthority = raw.trim().match(/^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/);
    if (schemeAndAuthority && schemeAndAuthority[1] !== schemeAndAuthority[1].toLowerCase()) {
        problems.push("has an uppercase scheme");
    }
    if (schemeAndAuthority && /[A-Z]/.test(schemeAndAuthority[2])) problems.push("has an uppercase host");
    if (url.hash || raw.includes("#")) problems.push("has a fragment");
    if (/:(443)$/.test(schemeAndAuthority?.[2] ?? "") && scheme === "https")
        problems.push("names the default port 443");

    let path = url.pathname;
    if (path.endsWith("/")) {
        if (
            path !== "/" ||
            raw
                .trim()
                .replace(/[?#].*$/, "")
                .endsWith("/")
        )
            problems.push("has a trailing slash");
        path = path.replace(/\/+$/, "");
    }
    const canonical = `${scheme}://${url.host}${path}${url.search}`;
    return { canonical, problems };
}

/**
 * The verdict on an MCP API identifier (the RFC 8707 resource a client asks for). Phrases in `problems` complete
 * "`<identifier>` …"; the component and the pack each word the sentence around them.
 * - `unusable`: no canonical form exists (not a URI, not https, credentials);
 * - `not-canonical`: usable, but not written as `canonical` (`problems` may be empty: it merely differs).
 */
type ResourceIdentifierVerdict =
    | { verdict: "canonical" }
    | { verdict: "unusable"; problems: string[] }
    | { verdict: "not-canonical"; problems: string[]; canonical: string };

export function judgeResourceIdentifier(
    identifier: string,
    options: CanonicalUriOptions = {},
): ResourceIdentifierVerdict {
    const { canonical, problems } = canonicalizeResourceUri(identifier, options);
    if (canonical === undefined) return { verdict: "unusable", problems };
    if (problems.length > 0 || canonical !== identifier) return { verdict: "not-canonical", problems, canonical };
    return { verdict: "canonical" };
}
