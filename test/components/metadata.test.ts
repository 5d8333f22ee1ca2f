import { describe, expect, it } from "vitest";
import { buildValidationContract } from "../../src/components/mcp-api/contract";
import { buildProtectedResourceMetadata, protectedResourceMetadataUrl } from "../../src/components/mcp-api/metadata";
import { issuerForDomain, jwksUriForDomain, tenantDomainProblems } from "../../src/components/tenant-domain";

describe("RFC 9728 protected-resource metadata", () => {
    const metadata = buildProtectedResourceMetadata({
        resource: "https://mcp.example.com/mcp",
        issuer: "https://example.eu.auth0.com/",
        scopes: ["tools:read", "tools:call"],
        resourceName: "Example MCP",
    });

    it("names the resource exactly as the API identifier", () => {
        expect(metadata.resource).toBe("https://mcp.example.com/mcp");
    });
    it("lists the tenant issuer, trailing slash included, as the only authorization server", () => {
        expect(metadata.authorization_servers).toEqual(["https://example.eu.auth0.com/"]);
    });
    it("lists the scopes in declaration order", () => {
        expect(metadata.scopes_supported).toEqual(["tools:read", "tools:call"]);
    });
    it("accepts bearer tokens in the Authorization header only", () => {
        expect(metadata.bearer_methods_supported).toEqual(["header"]);
    });
    it("carries the resource name", () => {
        expect(metadata.resource_name).toBe("Example MCP");
    });
    it("has exactly these fields: no jwks_uri or resource_signing_alg_values_supported (the server signs nothing)", () => {
        expect(Object.keys(metadata).sort()).toEqual(
            [
                "authorization_servers",
                "bearer_methods_supported",
                "resource",
                "resource_name",
                "scopes_supported",
            ].sort(),
        );
    });
    it("adds resource_documentation only when given", () => {
        const withDocs = buildProtectedResourceMetadata({
            resource: "https://mcp.example.com/mcp",
            issuer: "https://example.eu.auth0.com/",
            scopes: ["a"],
            resourceName: "x",
            resourceDocumentation: "https://docs.example.com/mcp",
        });
        expect(withDocs.resource_documentation).toBe("https://docs.example.com/mcp");
    });
    it("does not share the caller's scope array", () => {
        const scopes = ["a"];
        const built = buildProtectedResourceMetadata({
            resource: "https://m.example.com",
            issuer: "https://t/",
            scopes,
            resourceName: "x",
        });
        scopes.push("b");
        expect(built.scopes_supported).toEqual(["a"]);
    });
});

describe("protected-resource metadata URL (RFC 9728 §3.1)", () => {
    it.each([
        ["https://mcp.example.com/mcp", "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"],
        ["https://mcp.example.com", "https://mcp.example.com/.well-known/oauth-protected-resource"],
        ["https://mcp.example.com/a/b", "https://mcp.example.com/.well-known/oauth-protected-resource/a/b"],
        ["https://mcp.example.com:8443/mcp", "https://mcp.example.com:8443/.well-known/oauth-protected-resource/mcp"],
        ["http://localhost:3000/mcp", "http://localhost:3000/.well-known/oauth-protected-resource/mcp"],
    ])("%s → %s", (resource, expected) => {
        expect(protectedResourceMetadataUrl(resource)).toBe(expected);
    });
});

describe("validation contract", () => {
    const input = {
        issuer: "https://example.eu.auth0.com/",
        audience: "https://mcp.example.com/mcp",
        jwksUri: "https://example.eu.auth0.com/.well-known/jwks.json",
        signingAlg: "RS256",
        tokenDialect: "rfc9068_profile_authz",
        requiredScopes: ["tools:read"],
        tokenLifetimeSeconds: 900,
        resourceMetadataUrl: "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
    };
    const contract = buildValidationContract(input);

    it("is versioned", () => expect(contract.contractVersion).toBe(1));
    it("pins the issuer exactly", () => expect(contract.issuer).toBe("https://example.eu.auth0.com/"));
    it("names the audience", () => expect(contract.audience).toBe("https://mcp.example.com/mcp"));
    it("names the JWKS URI", () => expect(contract.jwksUri).toBe("https://example.eu.auth0.com/.well-known/jwks.json"));
    it("accepts only the API's signing algorithm", () => expect(contract.algorithms).toEqual(["RS256"]));
    it("expects typ at+jwt for RFC 9068 dialects", () => expect(contract.tokenType).toBe("at+jwt"));
    it("requires the RFC 9068 claims", () =>
        expect(contract.requiredClaims).toEqual(["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]));
    it("reads scopes from the scope claim", () => expect(contract.scopeClaim).toBe("scope"));
    it("reads RBAC permissions for authz dialects", () => expect(contract.permissionsClaim).toBe("permissions"));
    it("lists the required scopes", () => expect(contract.requiredScopes).toEqual(["tools:read"]));
    it("bounds the token lifetime by the API's", () => expect(contract.maxTokenLifetimeSeconds).toBe(900));
    it("allows a minute of clock skew", () => expect(contract.clockToleranceSeconds).toBe(60));
    it("names the metadata URL for WWW-Authenticate", () =>
        expect(contract.resourceMetadataUrl).toBe("https://mcp.example.com/.well-known/oauth-protected-resource/mcp"));
    it("has no other fields and survives a JSON round trip", () => {
        expect(Object.keys(contract)).toHaveLength(13);
        expect(JSON.parse(JSON.stringify(contract))).toEqual(contract);
    });

    it("expects typ JWT, azp-style claims and no permissions claim for the classic access_token dialect", () => {
        const classic = buildValidationContract({ ...input, tokenDialect: "access_token", signingAlg: "PS256" });
        expect(classic.tokenType).toBe("JWT");
        expect(classic.requiredClaims).toEqual(["iss", "exp", "aud", "sub", "iat"]);
        expect(classic.permissionsClaim).toBeNull();
        expect(classic.algorithms).toEqual(["PS256"]);
    });
    it("has no permissions claim for rfc9068_profile (no authz)", () => {
        const plain = buildValidationContract({ ...input, tokenDialect: "rfc9068_profile" });
        expect(plain.tokenType).toBe("at+jwt");
        expect(plain.permissionsClaim).toBeNull();
    });
});

describe("tenant domain", () => {
    it("derives issuer and JWKS URI", () => {
        expect(issuerForDomain("example-dev.us.auth0.com")).toBe("https://example-dev.us.auth0.com/");
        expect(jwksUriForDomain("example-dev.us.auth0.com")).toBe(
            "https://example-dev.us.auth0.com/.well-known/jwks.json",
        );
    });
    it("accepts a bare lowercase host", () => expect(tenantDomainProblems("example-dev.us.auth0.com")).toEqual([]));
    it.each([
        ["https://example-dev.us.auth0.com/", "example-dev.us.auth0.com"],
        ["Example-Dev.us.auth0.com", "example-dev.us.auth0.com"],
        ["example-dev.us.auth0.com/", "example-dev.us.auth0.com"],
    ])("refuses %s and shows %s", (raw, fixed) => {
        const problems = tenantDomainProblems(raw);
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(`"${fixed}"`);
    });
    it("refuses a single label and an empty value", () => {
        expect(tenantDomainProblems("localhost")[0]).toContain("not a valid host name");
        expect(tenantDomainProblems("")[0]).toContain("is empty");
    });
});
