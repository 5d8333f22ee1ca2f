import { describe, expect, it } from "vitest";
import {
    metadataHostAllowed,
    metadataUrlProblems,
    parseMetadataUrl,
    publicSuffixProblem,
    validateAllowedMetadataDomains,
} from "../../policy/facts/cimd-url";

describe("CIMD metadata URL (policy/facts/cimd-url, shared by the pack and TenantMcpSettings)", () => {
    it.each([
        "https://app.example.com/oauth/client-metadata.json",
        "https://app.example.com:8443/client.json",
        "https://a-b.example.co.uk/x/y.json",
    ])("accepts %s", (url) => {
        expect(parseMetadataUrl(url)).toMatchObject({ problems: [], host: new URL(url).hostname });
    });

    it.each([
        ["http://app.example.com/c.json", "must use https"],
        ["HTTPS://app.example.com/c.json", "must have a lowercase scheme and host"],
        ["https://App.example.com/c.json", "must have a lowercase scheme and host"],
        ["https://app.example.com/", "must have a path naming the document"],
        ["https://app.example.com", "must have a path naming the document"],
        ["https://app.example.com/c.json#x", "must not have a fragment"],
        ["https://app.example.com/c.json?v=1", "must not have a query string"],
        ["https://app.example.com/c.json?", "must not have a query string"],
        ["https://app.example.com/a/../c.json", "must not contain . or .. path segments"],
        ["https://app.example.com/a/%2E%2e/c.json", "must not contain . or .. path segments"],
        ["https://app.example.com/./c.json", "must not contain . or .. path segments"],
        ["https://user:pw@app.example.com/c.json", "must not contain credentials"],
        ["https://app.example.com@evil.test/c.json", "must not contain credentials"],
        ["https://evil.test\\@app.example.com/c.json", "contains a backslash"],
        ["https://app.example.com\\c.json", "contains a backslash"],
        ["https://app.ex%61mple.com/c.json", "percent-encoded host"],
        ["https://аpp.example.com/c.json", "internationalised (non-ASCII) host"],
        ["https://xn--pp-8cd.example.com/c.json", "punycode (xn--) host"],
        ["https://127.0.0.1/c.json", "IP address as host"],
        ["https://0x7f.1/c.json", "IP address as host"],
        ["https://[::1]/c.json", "IP address as host"],
        ["https://app.example.com./c.json", "host ending with a dot"],
        ["https://localhost/c.json", "single-label host"],
        ["https://app.example.com:443/c.json", "must not spell out the default port :443"],
        ["https://app.example.com:/c.json", "must not spell out an empty port"],
        ["https://app.example.com/a b.json", "whitespace or control characters"],
        ["https://app.example.com/\tc.json", "whitespace or control characters"],
        [
            "https://app.example.com/é.json",
            `is not in canonical form: it is read as "https://app.example.com/%C3%A9.json"`,
        ],
        ["app.example.com/c.json", "is not an absolute URL"],
        ["https:app.example.com/c.json", "is not an absolute URL"],
    ])("refuses %s (%s)", (url, why) => {
        expect(parseMetadataUrl(url).problems.join(", ")).toContain(why);
        expect(metadataUrlProblems(url)).toEqual([expect.stringContaining(`"${url}" `)]);
    });

    it("gives no host for an ambiguous one, so no allowlist is judged against it", () => {
        expect(parseMetadataUrl("https://app.ex%61mple.com/c.json").host).toBeUndefined();
        expect(parseMetadataUrl("https://127.0.0.1/c.json").host).toBeUndefined();
        expect(parseMetadataUrl("http://app.example.com/c.json").host).toBe("app.example.com");
    });

    it("suggests the fixed URL where it can, never the host hidden behind credentials", () => {
        expect(metadataUrlProblems("https://app.example.com@evil.test/c.json")).toEqual([
            `"https://app.example.com@evil.test/c.json" must not contain credentials (user:password@)`,
        ]);
        expect(metadataUrlProblems("http://app.example.com/")).toEqual([
            `"http://app.example.com/" must use https, must have a path naming the document, e.g. /oauth/client-metadata.json; e.g. "https://app.example.com/oauth/client-metadata.json"`,
        ]);
    });
});

describe("allowedMetadataDomains", () => {
    it("accepts registrable domains, including ones under a public suffix", () => {
        expect(validateAllowedMetadataDomains(["example.com", "example.co.uk", "myorg.github.io"])).toEqual([]);
    });

    it("refuses an empty list, wildcards, TLDs, public suffixes and anything that is not a lowercase host name", () => {
        expect(validateAllowedMetadataDomains([])).toEqual([
            { key: "allowedMetadataDomains", message: expect.stringContaining("is empty") },
        ]);
        const problems = validateAllowedMetadataDomains([
            "*.example.com",
            "com",
            "co.uk",
            "github.io",
            "amazonaws.com",
            "Example.com",
            "https://example.com",
            "10.0.0.1",
            "xn--80ak6aa92e.com",
        ]);
        expect(problems.map((p) => p.key)).toEqual(
            [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `allowedMetadataDomains.${i}`),
        );
        const text = problems.map((p) => p.message);
        expect(text[0]).toContain("is a wildcard; write the domain itself");
        expect(text[1]).toContain(`"com" is a bare top-level domain`);
        expect(text[2]).toContain(`"co.uk" is a public suffix`);
        expect(text[3]).toContain(`"github.io" is a public suffix`);
        expect(text[4]).toContain(`"amazonaws.com" lies above the public suffix "s3.amazonaws.com"`);
        expect(text[5]).toContain("must be written in lower case");
        expect(text[6]).toContain("is not a bare domain name");
        expect(text[7]).toContain("IP address");
        expect(text[8]).toContain("punycode");
    });

    it("judges suffixes by label: com.br and or.jp are public, example.com is not", () => {
        expect(publicSuffixProblem("com.br")).toContain("public suffix");
        expect(publicSuffixProblem("or.jp")).toContain("public suffix");
        expect(publicSuffixProblem("example.com")).toBeUndefined();
    });

    it("admits a domain and its subdomains, never look-alikes or refused entries", () => {
        expect(metadataHostAllowed("example.com", ["example.com"])).toBe(true);
        expect(metadataHostAllowed("app.example.com", ["example.com"])).toBe(true);
        expect(metadataHostAllowed("badexample.com", ["example.com"])).toBe(false);
        expect(metadataHostAllowed("example.com.evil.test", ["example.com"])).toBe(false);
        expect(metadataHostAllowed("evil.github.io", ["github.io"])).toBe(false);
        expect(metadataHostAllowed("app.example.com", ["*.example.com"])).toBe(false);
    });
});
