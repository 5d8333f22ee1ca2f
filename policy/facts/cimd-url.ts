/**
 * The one parser and rule set for Client ID Metadata Document URLs (a CIMD client's `client_id`) and for the
 * metadata-domain allowlist, shared by the cimd-client-governance rule and the TenantMcpSettings component.
 * No @pulumi imports: the component, the pack and the checker's config validation all load it.
 *
 * draft-ietf-oauth-client-id-metadata-document (section 3): a client_id URL MUST use https, MUST contain a path,
 * MUST NOT contain `.`/`..` path segments, a fragment, or a username/password; it SHOULD NOT contain a query and
 * MAY contain a port. On top of that this module refuses whatever makes the URL ambiguous, i.e. whatever a URL
 * parser would silently rewrite, so that the string Auth0 stores, the host the allowlist judges and the host
 * Auth0 fetches from are one and the same: backslashes (WHATWG reads them as `/`), whitespace, upper case in
 * scheme or host, percent-encoded or internationalised (IDN, `xn--`) hosts, IP literals, a trailing dot, a
 * spelled-out default port, a query string — and anything else whose parsed form differs from the text.
 */

import type { SettingProblem } from "./config-semantics";

interface ParsedMetadataUrl {
    /** Why the URL is refused; empty when it is fine. Each phrase completes `"<url>" …`. */
    problems: string[];
    /** The host, lower case, when it is an unambiguous domain name (even if other parts are refused). */
    host?: string;
    /** The parsed URL, when the text parses at all. */
    url?: URL;
}

const SCHEME_AND_AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\\]*)/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DEFAULT_HTTPS_PORT = "443";

/** A dotted-decimal (or other numeric) form WHATWG would read as an IPv4 address: last label all digits or 0x…. */
function looksLikeIpv4(host: string): boolean {
    const last = host.replace(/\.$/, "").split(".").pop() ?? "";
    return /^(?:\d+|0x[0-9a-f]*)$/i.test(last);
}

/** Problems with a host written in a URL or an allowlist, as a lowercase DNS name; empty when it is one. */
function hostNameProblems(host: string): string[] {
    if (host === "") return ["has no host"];
    if (host.includes("%")) return ["has a percent-encoded host (write the host name in plain letters)"];
    if (/[^\x21-\x7e]/.test(host))
        return [
            "has an internationalised (non-ASCII) host: IDN hosts are refused because they can imitate other names",
        ];
    if (host.startsWith("[") || looksLikeIpv4(host))
        return ["has an IP address as host (use a domain name the allowlist can judge)"];
    const problems: string[] = [];
    if (/[A-Z]/.test(host)) problems.push("must have a lowercase scheme and host");
    const lower = host.toLowerCase();
    if (lower.endsWith(".")) problems.push("has a host ending with a dot (drop the trailing dot)");
    const labels = lower.replace(/\.$/, "").split(".");
    if (labels.some((label) => label.startsWith("xn--"))) {
        problems.push("has a punycode (xn--) host: IDN hosts are refused because they can imitate other names");
    } else if (!labels.every((label) => DNS_LABEL.test(label))) {
        problems.push("has a host that is not a domain name (letters, digits and inner hyphens per label)");
    } else if (labels.length < 2) {
        problems.push("has a single-label host (use a fully qualified domain name, e.g. app.example.com)");
    }
    return problems;
}

/** Whether a raw path contains a `.` or `..` segment, percent-encoded or not. */
function hasDotSegment(rawPath: string): boolean {
    return rawPath.split("/").some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

/** Parses a CIMD metadata URL and lists every reason it is refused. */
export function parseMetadataUrl(raw: string): ParsedMetadataUrl {
    if (raw.includes("\\"))
        return { problems: ["contains a backslash, which URL parsers read as / (write / instead)"] };
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
    if (/[\s\x00-\x1f\x7f]/.test(raw)) return { problems: ["contains whitespace or control characters"] };
    const head = SCHEME_AND_AUTHORITY.exec(raw);
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (!head || !url) {
        return {
            problems: ["is not an absolute URL (expected e.g. https://app.example.com/oauth/client-metadata.json)"],
        };
    }
    const scheme = head[1] ?? "";
    const authority = head[2] ?? "";
    const problems: string[] = [];
    if (scheme.toLowerCase() !== "https") problems.push("must use https");
    else if (scheme !== "https") problems.push("must have a lowercase scheme and host");

    let hostPart = authority;
    if (authority.includes("@")) {
        problems.push("must not contain credentials (user:password@)");
        hostPart = authority.slice(authority.lastIndexOf("@") + 1);
    }
    const portMatch = /^(.*?)(?::(\d*))?$/.exec(
        hostPart.startsWith("[") ? hostPart.replace(/^(\[[^\]]*\]).*$/, "$1") : hostPart,
    );
    const host = portMatch?.[1] ?? hostPart;
    const port = hostPart.startsWith("[") ? undefined : portMatch?.[2];
    const hostProblems = hostNameProblems(host).filter((p) => !problems.includes(p));
    problems.push(...hostProblems);
    if (port !== undefined && (port === "" || port === DEFAULT_HTTPS_PORT)) {
        problems.push(`must not spell out ${port === "" ? "an empty port" : "the default port :443"} (drop it)`);
    }

    const rest = raw.slice(head[0].length);
    const rawPath = rest.replace(/[?#].*$/, "");
    if (raw.includes("?")) problems.push("must not have a query string");
    if (raw.includes("#")) problems.push("must not have a fragment");
    if (hasDotSegment(rawPath)) problems.push("must not contain . or .. path segments");
    if (rawPath === "" || rawPath === "/")
        problems.push("must have a path naming the document, e.g. /oauth/client-metadata.json");

    if (problems.length === 0 && url.href !== raw) {
        problems.push(`is not in canonical form: it is read as "${url.href}" (write it that way)`);
    }
    return { problems, url, ...(hostProblems.length === 0 ? { host: host.toLowerCase() } : {}) };
}

/** `"<url>" problem, problem; e.g. "<fixed>"` — one sentence for a refused URL, empty when it is fine. */
export function metadataUrlProblems(raw: string): string[] {
    const { problems, url, host } = parseMetadataUrl(raw);
    if (problems.length === 0) return [];
    // With credentials the real host is the part after "@", which the author may not have meant: suggest nothing.
    const example =
        url && host && !url.username && !url.password
            ? `; e.g. "https://${host}${url.pathname.length > 1 ? url.pathname : "/oauth/client-metadata.json"}"`
            : "";
    return [`"${raw}" ${problems.join(", ")}${example}`];
}

/**
 * Multi-label public suffixes (registrable by anyone) and platform domains whose subdomains belong to different
 * customers, from the Public Suffix List (publicsuffix.org), ICANN and private sections. An allowlist entry equal
 * to one, or above one (`amazonaws.com` above `s3.amazonaws.com`), would admit hosts the organisation does not
 * control. Second-level country suffixes such as `co.uk` or `com.br` are caught by {@link isCountrySecondLevel}.
 */
const PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
    // ICANN suffixes not of the <generic>.<cc> shape
    "ltd.uk",
    "plc.uk",
    "me.uk",
    "nhs.uk",
    "police.uk",
    "id.au",
    "asn.au",
    "govt.nz",
    "kiwi.nz",
    "gen.nz",
    "in.ua",
    "kiev.ua",
    "spb.ru",
    "msk.ru",
    "eu.com",
    "uk.com",
    "us.com",
    "cn.com",
    "de.com",
    "jpn.com",
    "gb.net",
    "uk.net",
    "se.net",
    "eu.org",
    "us.org",
    "blogspot.com",
    // Hosting platforms: every customer gets a subdomain
    "github.io",
    "githubusercontent.com",
    "gitlab.io",
    "codeberg.page",
    "pages.dev",
    "workers.dev",
    "r2.dev",
    "vercel.app",
    "now.sh",
    "netlify.app",
    "herokuapp.com",
    "herokussl.com",
    "web.app",
    "firebaseapp.com",
    "appspot.com",
    "run.app",
    "cloudfunctions.net",
    "s3.amazonaws.com",
    "compute.amazonaws.com",
    "cloudfront.net",
    "elasticbeanstalk.com",
    "awsapprunner.com",
    "on.aws",
    "azurewebsites.net",
    "azurestaticapps.net",
    "cloudapp.net",
    "azureedge.net",
    "azurefd.net",
    "blob.core.windows.net",
    "trafficmanager.net",
    "onrender.com",
    "fly.dev",
    "railway.app",
    "up.railway.app",
    "deno.dev",
    "glitch.me",
    "repl.co",
    "replit.app",
    "replit.dev",
    "ngrok.io",
    "ngrok.app",
    "ngrok-free.app",
    "ngrok.dev",
    "trycloudflare.com",
    "surge.sh",
    "readthedocs.io",
    "gitbook.io",
    "myshopify.com",
    "wixsite.com",
    "ondigitalocean.app",
    "digitaloceanspaces.com",
    "supabase.co",
    "pythonanywhere.com",
    "translate.goog",
    "storage.googleapis.com",
    "lovable.app",
    "bitbucket.io",
    "stackblitz.io",
    "webcontainer.io",
]);

/** Generic second-level labels under which country registries sell domains (`co.uk`, `com.au`, `or.jp`, …). */
const COUNTRY_SECOND_LEVEL = new Set([
    "ac",
    "co",
    "com",
    "edu",
    "go",
    "gob",
    "gouv",
    "gov",
    "govt",
    "info",
    "ltd",
    "mil",
    "ne",
    "net",
    "nic",
    "nom",
    "or",
    "org",
    "sch",
    "biz",
    "int",
]);

/** `co.uk`, `com.br`, `or.jp`: a generic second-level label under a two-letter country code. */
function isCountrySecondLevel(labels: readonly string[]): boolean {
    const [second, country] = labels;
    return (
        labels.length === 2 &&
        second !== undefined &&
        country !== undefined &&
        COUNTRY_SECOND_LEVEL.has(second) &&
        /^[a-z]{2}$/.test(country)
    );
}

/** Why a domain is too wide to allowlist (a bare TLD or a public suffix), or undefined when it is registrable. */
export function publicSuffixProblem(domain: string): string | undefined {
    const labels = domain.split(".");
    if (labels.length === 1) return "is a bare top-level domain: it would admit every host under it";
    if (isCountrySecondLevel(labels) || PUBLIC_SUFFIXES.has(domain)) {
        return "is a public suffix: anyone can register a domain under it, so it would admit hosts your organisation does not control";
    }
    const covered = [...PUBLIC_SUFFIXES].find((suffix) => suffix.endsWith(`.${domain}`));
    if (covered !== undefined) {
        return `lies above the public suffix "${covered}": it would admit hosts your organisation does not control`;
    }
    return undefined;
}

export const ALLOWED_METADATA_DOMAINS_KEY = "allowedMetadataDomains";

/**
 * Problems with an `allowedMetadataDomains` list that JSON schema cannot express: each entry must be a lowercase
 * registrable domain name (no wildcard — an entry already admits its subdomains — no scheme, port, path, IP or
 * IDN), never a bare TLD or a public suffix. An empty list is refused too: it would look like "no restriction".
 * `undefined` is not checked here (the rule fails closed on it).
 */
export function validateAllowedMetadataDomains(list: unknown): SettingProblem[] {
    const key = ALLOWED_METADATA_DOMAINS_KEY;
    if (!Array.isArray(list)) return [{ key, message: 'must be a list of domain names, e.g. ["example.com"]' }];
    if (list.length === 0) {
        return [
            {
                key,
                message:
                    'is empty; list the domains that may serve metadata documents, e.g. ["example.com"] (an empty list is not "any domain")',
            },
        ];
    }
    const problems: SettingProblem[] = [];
    list.forEach((entry: unknown, index) => {
        const at = `${key}.${index}`;
        if (typeof entry !== "string") {
            problems.push({ key: at, message: "must be a domain name string" });
            return;
        }
        const shown = JSON.stringify(entry);
        if (entry.includes("*")) {
            problems.push({
                key: at,
                message: `${shown} is a wildcard; write the domain itself (e.g. "example.com"): an entry already admits its subdomains`,
            });
            return;
        }
        if (/[/:@?#\s]/.test(entry)) {
            problems.push({
                key: at,
                message: `${shown} is not a bare domain name; drop any scheme, port or path (e.g. "example.com")`,
            });
            return;
        }
        // A single label is judged below, as a bare TLD.
        const hostProblems = hostNameProblems(entry)
            .filter((p) => !p.startsWith("has a single-label host"))
            .map((p) => p.replace(/^must have a lowercase scheme and host$/, "must be written in lower case"));
        if (hostProblems.length > 0) {
            problems.push({ key: at, message: `${shown} ${hostProblems.join(", ")}` });
            return;
        }
        const wide = publicSuffixProblem(entry);
        if (wide !== undefined) problems.push({ key: at, message: `${shown} ${wide}; list your own domain instead` });
    });
    return problems;
}

/**
 * Whether a URL host is on the allowlist: an entry `example.com` admits `example.com` and its subdomains
 * (whoever controls a domain controls its subdomains), never a host that merely ends with the same letters
 * (`badexample.com`). Entries that {@link validateAllowedMetadataDomains} refuses admit nothing.
 */
export function metadataHostAllowed(host: string, allowedDomains: readonly unknown[]): boolean {
    const valid = allowedDomains.filter(
        (entry): entry is string => validateAllowedMetadataDomains([entry]).length === 0,
    );
    return valid.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
