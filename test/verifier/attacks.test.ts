import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, createPublicKey } from "node:crypto";
import { CompactSign, EncryptJWT, importJWK } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ValidationContract } from "../../src/components/mcp-api/contract";
import {
    type AuthenticatedRequest,
    bearerAuth,
    createTokenVerifier,
    protectedResourceMetadataHandler,
    type TokenVerifier,
    type VerifierOptions,
} from "../../src/verifier";
import { buildProtectedResourceMetadata } from "../../src/components/mcp-api/metadata";
import { AuthorizationServerStandIn, signingKey, type IssueOptions, type SigningKey } from "./authorization-server";
import { componentContract } from "./component-contract";

// Claim checks are jose's (src/jwt/verify.ts jwtVerify → src/lib/jwt_claims_set.ts validateClaimsSet: `typ`
// compared case-insensitively without "application/", `exp <= now - tolerance` expired, `nbf > now + tolerance`,
// maxTokenAge refusing an `iat` in the future); the rows below pin the outcome through the verifier.
// Attacks and faults against the verifier, each through a real node:http server protected by bearerAuth, with the
// signing keys served by the stand-in over HTTP on 127.0.0.1 and fetched by jose. The contract is the McpApi
// component's own output (RS256, rfc9068_profile_authz, 3600 s, tolerance 60 s, required scope tools:read).

const b64 = (value: unknown) =>
    Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

interface Protected {
    url: string;
    verifier: TokenVerifier;
    close(): Promise<void>;
}

/** An HTTP server answering 200 with `req.auth` when bearerAuth lets the request through. */
async function protectedServer(contract: ValidationContract, options: VerifierOptions = {}): Promise<Protected> {
    const verifier = createTokenVerifier(contract, options);
    const metadata = buildProtectedResourceMetadata({
        resource: contract.audience,
        issuer: contract.issuer,
        scopes: ["tools:read", "tools:call"],
        resourceName: "orders",
    });
    const serveMetadata = protectedResourceMetadataHandler(contract, metadata);
    const auth = bearerAuth(verifier);
    const server = http.createServer((req, res) => {
        serveMetadata(req, res, () =>
            auth(req, res, (error) => {
                if (error) {
                    res.writeHead(500).end();
                    return;
                }
                res.writeHead(200, { "Content-Type": "application/json" }).end(
                    JSON.stringify((req as AuthenticatedRequest).auth),
                );
            }),
        );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
        verifier,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

async function call(target: Protected, authorization: string | undefined) {
    const response = await fetch(target.url, {
        method: "POST",
        headers: authorization === undefined ? {} : { Authorization: authorization },
    });
    const text = await response.text();
    return {
        status: response.status,
        challenge: response.headers.get("www-authenticate") ?? "",
        retryAfter: response.headers.get("retry-after"),
        text,
        body: text === "" ? undefined : JSON.parse(text),
    };
}

let contract: ValidationContract;
let standIn: AuthorizationServerStandIn;
/** Generated once: RS256 (the tenant's), RS256 (after rotation), RS256 (an attacker's), PS256, ES256. */
let KEYS: Record<"rs" | "rotated" | "attacker" | "ps" | "ec", SigningKey>;
/** A stand-in of its own (own JWKS state and request count) with the shared keys. */
const freshStandIn = (rsa: SigningKey = KEYS.rs) =>
    AuthorizationServerStandIn.start(contract.issuer, { rsa, ec: KEYS.ec });
let server: Protected;
const issue = (options?: IssueOptions) => standIn.issue(contract, options);

beforeAll(async () => {
    const [component, rs, rotated, attacker, ps, ec] = await Promise.all([
        componentContract(),
        signingKey("RS256"),
        signingKey("RS256"),
        signingKey("RS256"),
        signingKey("PS256"),
        signingKey("ES256"),
    ]);
    KEYS = { rs, rotated, attacker, ps, ec };
    standIn = await AuthorizationServerStandIn.start(component.issuer, { rsa: rs, ec });
    // The stand-in mirrors Auth0's JWKS path; only its host differs from the tenant's.
    expect(component.jwksUri).toBe(`${component.issuer}.well-known/jwks.json`);
    contract = standIn.contractFor(component);
    server = await protectedServer(contract);
});
afterAll(async () => {
    await server?.close();
    await standIn?.stop();
});
// Tests that move the clock fake Date only: jose's key-set ages and cooldown, the backoff and token times all
// read Date, while sockets and timers stay real.
afterEach(() => {
    vi.useRealTimers();
});
const advanceClock = (ms: number) => {
    if (!vi.isFakeTimers()) vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + ms);
};

describe("the component's contract", () => {
    it("is what the verifier enforces: RS256, at+jwt, RFC 9068 claims, permissions, 3600 s, 60 s tolerance", () => {
        expect(contract).toMatchObject({
            contractVersion: 1,
            issuer: "https://example-dev.us.auth0.com/",
            audience: "https://mcp.example.com/mcp",
            algorithms: ["RS256"],
            tokenType: "at+jwt",
            requiredClaims: ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"],
            permissionsClaim: "permissions",
            requiredScopes: ["tools:read"],
            maxTokenLifetimeSeconds: 3600,
            clockToleranceSeconds: 60,
            resourceMetadataUrl: "https://mcp.example.com/.well-known/oauth-protected-resource/mcp",
        });
    });
});

describe("valid Auth0-shaped tokens", () => {
    it("are accepted with client id, scopes from scope and permissions, expiry and resource", async () => {
        const token = await issue({ claims: { scope: "openid", permissions: ["tools:read", "tools:call"] } });
        const result = await call(server, `Bearer ${token}`);
        expect(result.status).toBe(200);
        expect(result.body).toMatchObject({
            clientId: "tpc_9a8b7c6d5e4f3a2b1c0d",
            scopes: ["openid", "tools:read", "tools:call"],
            resource: "https://mcp.example.com/mcp",
            extra: { subject: "auth0|65f0c1d2e3a4b5c6d7e8f901" },
        });
        expect(result.body.expiresAt).toBeGreaterThan(now());
    });

    it("accept aud as a single string, typ application/at+jwt and exp just inside the clock tolerance", async () => {
        for (const options of [
            { claims: { aud: contract.audience } },
            { header: { typ: "application/at+jwt" } },
            { claims: { iat: now() - 3630, exp: now() - 30 } },
        ]) {
            expect((await call(server, `Bearer ${await issue(options)}`)).status).toBe(200);
        }
    });

    it("accept the Bearer scheme in any case (RFC 6750 §2.1, RFC 7235 §2.1)", async () => {
        expect((await call(server, `bearer ${await issue()}`)).status).toBe(200);
    });
});

interface Row {
    name: string;
    token: () => Promise<string>;
    status: number;
    error: string;
    description: RegExp;
}

const rsaPublicPem = () =>
    createPublicKey({ key: standIn.keys.rsa.publicJwk, format: "jwk" }).export({
        type: "spki",
        format: "pem",
    }) as string;

const ATTACKS: Row[] = [
    {
        name: "alg none",
        token: async () =>
            `${b64({ alg: "none", typ: "at+jwt", kid: standIn.keys.rsa.kid })}.${(await issue()).split(".")[1]}.`,
        status: 401,
        error: "invalid_token",
        description: /alg none/,
    },
    {
        name: "HS256 signed with the RSA public key (algorithm confusion)",
        token: async () => {
            const input = `${b64({ alg: "HS256", typ: "at+jwt", kid: standIn.keys.rsa.kid })}.${(await issue()).split(".")[1]}`;
            return `${input}.${createHmac("sha256", rsaPublicPem()).update(input).digest("base64url")}`;
        },
        status: 401,
        error: "invalid_token",
        description: /shared-secret signatures \(HS\*\) are never accepted; expected RS256/,
    },
    {
        name: "ES256 token where the contract allows RS256 only",
        token: () => issue({ key: standIn.keys.ec }),
        status: 401,
        error: "invalid_token",
        description: /signature algorithm is not RS256/,
    },
    {
        name: "wrong iss",
        token: () => issue({ claims: { iss: "https://attacker.example.com/" } }),
        status: 401,
        error: "invalid_token",
        description: /iss is not the trusted issuer https:\/\/example-dev\.us\.auth0\.com\//,
    },
    {
        name: "iss without Auth0's trailing slash",
        token: () => issue({ claims: { iss: "https://example-dev.us.auth0.com" } }),
        status: 401,
        error: "invalid_token",
        description: /iss is not the trusted issuer/,
    },
    {
        name: "missing iss",
        token: () => issue({ claims: { iss: undefined } }),
        status: 401,
        error: "invalid_token",
        description: /no iss claim/,
    },
    {
        name: "aud of another API (only userinfo and another identifier)",
        token: () =>
            issue({ claims: { aud: ["https://other.example.com/mcp", "https://example-dev.us.auth0.com/userinfo"] } }),
        status: 401,
        error: "invalid_token",
        description: /aud does not include https:\/\/mcp\.example\.com\/mcp/,
    },
    {
        name: "aud with a trailing slash (not the canonical identifier)",
        token: () => issue({ claims: { aud: "https://mcp.example.com/mcp/" } }),
        status: 401,
        error: "invalid_token",
        description: /aud does not include/,
    },
    {
        name: "expired beyond the clock tolerance",
        token: () => issue({ claims: { iat: now() - 3700, exp: now() - 100 } }),
        status: 401,
        error: "invalid_token",
        description: /has expired/,
    },
    {
        name: "not yet valid (nbf beyond the tolerance)",
        token: () => issue({ claims: { nbf: now() + 300 } }),
        status: 401,
        error: "invalid_token",
        description: /not valid yet/,
    },
    {
        name: "issued in the future (iat beyond the tolerance)",
        token: () => issue({ claims: { iat: now() + 300, exp: now() + 3900 } }),
        status: 401,
        error: "invalid_token",
        description: /iat is in the future/,
    },
    {
        name: "lifetime above the contract's maximum",
        token: () => issue({ claims: { iat: now(), exp: now() + 7200 } }),
        status: 401,
        error: "invalid_token",
        description: /lives 7200 s, longer than this API's 3600 s/,
    },
    {
        name: "typ JWT where at+jwt is required (e.g. an ID token)",
        token: () => issue({ header: { typ: "JWT" } }),
        status: 401,
        error: "invalid_token",
        description: /typ is not at\+jwt/,
    },
    {
        name: "no typ",
        token: () => issue({ header: { typ: undefined } }),
        status: 401,
        error: "invalid_token",
        description: /typ is not at\+jwt/,
    },
    {
        name: "missing client_id",
        token: () => issue({ claims: { client_id: undefined } }),
        status: 401,
        error: "invalid_token",
        description: /no client_id claim/,
    },
    {
        name: "missing jti",
        token: () => issue({ claims: { jti: undefined } }),
        status: 401,
        error: "invalid_token",
        description: /no jti claim/,
    },
    {
        name: "exp not a number",
        token: () => issue({ claims: { exp: "tomorrow" } }),
        status: 401,
        error: "invalid_token",
        description: /exp claim is not a valid value/,
    },
    {
        name: "unknown kid",
        token: () => issue({ header: { kid: "not-in-the-jwks" } }),
        status: 401,
        error: "invalid_token",
        description: /no key in the issuer's JWKS matches/,
    },
    {
        name: "no kid",
        token: () => issue({ header: { kid: undefined } }),
        status: 401,
        error: "invalid_token",
        description: /no kid/,
    },
    {
        name: "signed by another key under the tenant's kid",
        token: () => issue({ key: { ...KEYS.attacker, kid: standIn.keys.rsa.kid } }),
        status: 401,
        error: "invalid_token",
        description: /signature does not verify/,
    },
    {
        name: "payload changed after signing (scope escalation)",
        token: async () => {
            const [header, , signature] = (await issue({ claims: { scope: "openid" } })).split(".");
            const forged = await issue({ claims: { scope: "openid tools:read tools:call admin" } });
            return `${header}.${forged.split(".")[1]}.${signature}`;
        },
        status: 401,
        error: "invalid_token",
        description: /signature does not verify/,
    },
    {
        name: "JWE (token encryption on)",
        token: async () =>
            new EncryptJWT({ iss: contract.issuer, aud: contract.audience })
                .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM", typ: "at+jwt" })
                .encrypt(
                    await importJWK({ ...standIn.keys.rsa.publicJwk, alg: "RSA-OAEP-256", use: "enc" }, "RSA-OAEP-256"),
                ),
        status: 401,
        error: "invalid_token",
        description: /encrypted \(JWE\).*turn off token encryption/,
    },
    {
        name: "malformed base64 in the header",
        token: async () => `eyJhbGciOi!!.${(await issue()).split(".").slice(1).join(".")}`,
        status: 401,
        error: "invalid_token",
        description: /header is not base64url-encoded JSON/,
    },
    {
        name: "malformed base64 in the payload",
        token: async () => {
            const [header, , signature] = (await issue()).split(".");
            return `${header}.%%%not-base64%%%.${signature}`;
        },
        status: 401,
        error: "invalid_token",
        description: /not a compact JWS/,
    },
    {
        name: "correctly signed payload that is not JSON",
        token: () =>
            new CompactSign(new TextEncoder().encode("not json"))
                .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: standIn.keys.rsa.kid })
                .sign(standIn.keys.rsa.privateKey),
        status: 401,
        error: "invalid_token",
        description: /not a JSON object/,
    },
    {
        name: "two segments",
        token: async () => "eyJhbGciOiJSUzI1NiJ9.e30",
        status: 401,
        error: "invalid_token",
        description: /not a compact JWS/,
    },
    {
        name: "oversized token (10 KB of claims)",
        token: () => issue({ claims: { padding: "x".repeat(10_000) } }),
        status: 401,
        error: "invalid_token",
        description: /longer than 8192 characters/,
    },
    {
        name: "scope claim that is not a string",
        token: () => issue({ claims: { scope: ["tools:read"] } }),
        status: 401,
        error: "invalid_token",
        description: /scope claim is not a space-separated string/,
    },
    {
        name: "required scope missing from scope and permissions",
        token: () => issue({ claims: { scope: "openid tools:call", permissions: ["tools:call"] } }),
        status: 403,
        error: "insufficient_scope",
        description: /lacks the scope\(s\) tools:read/,
    },
];

describe("attacks and faults", () => {
    it.each(ATTACKS)("$name → $status $error", async (row) => {
        const token = await row.token();
        const result = await call(server, `Bearer ${token}`);
        expect(result.status).toBe(row.status);
        expect(result.body.error).toBe(row.error);
        expect(result.body.error_description).toMatch(row.description);
        const description = result.body.error_description as string;
        expect(result.challenge).toBe(
            `Bearer resource_metadata="${contract.resourceMetadataUrl}", error="${row.error}"` +
                (row.status === 403 ? `, scope="tools:read"` : "") +
                `, error_description="${description}"`,
        );
        // The token (and its signature, the part an attacker cannot make) never comes back.
        const signature = token.split(".")[2];
        for (const part of [token, ...(signature && signature.length > 8 ? [signature] : [])]) {
            expect(result.text).not.toContain(part);
            expect(result.challenge).not.toContain(part);
        }
    });
});

describe("requests without a usable Authorization header", () => {
    it("no header: 401 with the metadata URL and the scopes needed, no error code (RFC 6750 §3.1)", async () => {
        const result = await call(server, undefined);
        expect(result.status).toBe(401);
        expect(result.challenge).toBe(`Bearer resource_metadata="${contract.resourceMetadataUrl}", scope="tools:read"`);
        expect(result.body).toBeUndefined();
    });

    it("another scheme (Basic) is treated as no credentials", async () => {
        const result = await call(server, "Basic dXNlcjpwYXNz");
        expect(result.status).toBe(401);
        expect(result.challenge).not.toContain("error=");
    });

    it("'Bearer' without a token or with two tokens: 400 invalid_request", async () => {
        for (const header of ["Bearer", "Bearer a b"]) {
            const result = await call(server, header);
            expect(result.status).toBe(400);
            expect(result.body.error).toBe("invalid_request");
        }
    });
});

describe("the JWKS as jose fetches it", () => {
    // jose src/jwks/local.ts isUsableJWK: a JWK with an `alg` other than the token's is not a candidate.
    it("serving the token's kid under another alg: no matching key, 401", async () => {
        const keys = await freshStandIn();
        keys.published = [{ ...keys.keys.rsa, publicJwk: { ...keys.keys.rsa.publicJwk, alg: "PS256" } }];
        const target = await protectedServer(keys.contractFor(contract));
        try {
            const result = await call(target, `Bearer ${await keys.issue(contract)}`);
            expect(result.status).toBe(401);
            expect(result.body.error_description).toMatch(
                /no key in the issuer's JWKS matches the token's kid and alg/,
            );
        } finally {
            await target.close();
            await keys.stop();
        }
    });

    // jose src/jwks/remote.ts createRemoteJWKSet: the set is fetched when absent or older than cacheMaxAge, and
    // refetched on JWKSNoMatchingKey only when the last fetch is older than cooldownDuration.
    it("is fetched once while warm; an unknown kid refetches once after the cooldown, at most once per cooldown", async () => {
        const keys = await freshStandIn();
        const local = keys.contractFor(contract);
        const target = await protectedServer(local, { refetchCooldownMs: 1000 });
        const current = await keys.issue(local);
        const next = await keys.issue(local, { key: KEYS.rotated });
        try {
            for (let i = 0; i < 3; i++) expect((await call(target, `Bearer ${current}`)).status).toBe(200);
            expect(keys.jwksRequests).toBe(1);

            // Rotation: the tenant publishes a new key and signs with it. Inside the cooldown the new kid is
            // unknown and no fetch is made.
            keys.published = [KEYS.rotated, KEYS.rs];
            expect((await call(target, `Bearer ${next}`)).status).toBe(401);
            expect(keys.jwksRequests).toBe(1);

            advanceClock(1_001);
            expect((await call(target, `Bearer ${next}`)).status).toBe(200);
            expect(keys.jwksRequests).toBe(2);

            // A burst of unknown kids right after: refused without another fetch.
            for (let i = 0; i < 5; i++) {
                expect(
                    (await call(target, `Bearer ${await keys.issue(local, { header: { kid: `random-${i}` } })}`))
                        .status,
                ).toBe(401);
            }
            expect(keys.jwksRequests).toBe(2);
        } finally {
            await target.close();
            await keys.stop();
        }
    });

    it.each([
        ["refuses connections", "refuse", /connection failed|request failed/],
        ["answers HTTP 500", "http-500", /Expected 200 OK/],
        ["answers HTML", "not-json", /Failed to parse|not a usable JSON Web Key Set/],
    ] as const)(
        "that %s: 503 temporarily_unavailable with Retry-After, never invalid_token",
        async (_, mode, reason) => {
            const keys = await freshStandIn();
            keys.jwksMode = mode;
            const local = keys.contractFor(contract);
            const target = await protectedServer(local, { failureBackoffMs: 1000 });
            try {
                const token = await keys.issue(local);
                const result = await call(target, `Bearer ${token}`);
                expect(result.status).toBe(503);
                expect(result.body.error).toBe("temporarily_unavailable");
                expect(result.body.error_description).toContain(
                    `the signing keys at ${local.jwksUri} could not be loaded`,
                );
                expect(result.body.error_description).toMatch(reason);
                expect(result.retryAfter).toBe("1");
                expect(result.challenge).toBe("");
                expect(keys.jwksRequests).toBe(1);

                // During the backoff no request reaches the JWKS endpoint again.
                expect((await call(target, `Bearer ${token}`)).status).toBe(503);
                expect(keys.jwksRequests).toBe(1);

                if (mode !== "refuse") return;
                // Once it is back (and the backoff is over) the same token passes.
                keys.jwksMode = "serve";
                advanceClock(1_001);
                expect((await call(target, `Bearer ${token}`)).status).toBe(200);
                expect(keys.jwksRequests).toBe(2);
            } finally {
                await target.close();
                await keys.stop();
            }
        },
    );

    it("with keys cached, a failed refetch for an unknown kid does not block valid tokens", async () => {
        const keys = await freshStandIn();
        const local = keys.contractFor(contract);
        const target = await protectedServer(local, { refetchCooldownMs: 0, failureBackoffMs: 5000 });
        try {
            const token = await keys.issue(local);
            expect((await call(target, `Bearer ${token}`)).status).toBe(200);
            keys.jwksMode = "http-500";
            expect(
                (await call(target, `Bearer ${await keys.issue(local, { header: { kid: "rotated" } })}`)).status,
            ).toBe(503);
            expect(keys.jwksRequests).toBe(2);
            expect((await call(target, `Bearer ${token}`)).status).toBe(200);
            expect((await call(target, `Bearer ${await keys.issue(local, { header: { kid: "again" } })}`)).status).toBe(
                401,
            );
            expect(keys.jwksRequests).toBe(2);
        } finally {
            await target.close();
            await keys.stop();
        }
    });
});

describe("other dialects and algorithms from the component", () => {
    it("PS256: accepts PS256, refuses RS256 with the same key", async () => {
        const ps = await componentContract({ signingAlg: "PS256" });
        const keys = await freshStandIn(KEYS.ps);
        const local = keys.contractFor(ps);
        const target = await protectedServer(local);
        try {
            expect((await call(target, `Bearer ${await keys.issue(local)}`)).status).toBe(200);
            const rs = await call(
                target,
                `Bearer ${await keys.issue(local, { key: { ...KEYS.rs, kid: KEYS.ps.kid } })}`,
            );
            expect(rs.status).toBe(401);
            expect(rs.body.error_description).toMatch(/signature algorithm is not PS256/);
        } finally {
            await target.close();
            await keys.stop();
        }
    });

    it("access_token (classic): typ JWT, client from azp, permissions not read as scopes", async () => {
        const classic = await componentContract({ tokenDialect: "access_token" });
        expect(classic).toMatchObject({
            tokenType: "JWT",
            permissionsClaim: null,
            requiredClaims: ["iss", "exp", "aud", "sub", "iat"],
        });
        const keys = await freshStandIn();
        const local = keys.contractFor(classic);
        const target = await protectedServer(local);
        try {
            const ok = await call(
                target,
                `Bearer ${await keys.issue(local, { claims: { client_id: undefined, jti: undefined } })}`,
            );
            expect(ok.status).toBe(200);
            expect(ok.body.clientId).toBe("tpc_9a8b7c6d5e4f3a2b1c0d");
            const viaPermissions = await call(
                target,
                `Bearer ${await keys.issue(local, { claims: { scope: "openid", permissions: ["tools:read"] } })}`,
            );
            expect(viaPermissions.status).toBe(403);
            const noClient = await call(
                target,
                `Bearer ${await keys.issue(local, { claims: { client_id: undefined, azp: undefined } })}`,
            );
            expect(noClient.status).toBe(401);
            expect(noClient.body.error_description).toMatch(/names no client \(client_id or azp\)/);
            const atJwt = await call(target, `Bearer ${await keys.issue(local, { header: { typ: "at+jwt" } })}`);
            expect(atJwt.status).toBe(401);
            expect(atJwt.body.error_description).toMatch(/typ is not JWT/);
        } finally {
            await target.close();
            await keys.stop();
        }
    });
});

describe("verified-token cache (same token on every request of a session)", () => {
    it("re-checks expiry and the required scopes on every use of a cached token", async () => {
        const token = await issue();
        expect((await server.verifier.verify(token)).scopes).toContain("tools:read");
        await expect(server.verifier.verify(token, ["tools:admin"])).rejects.toMatchObject({
            code: "insufficient_scope",
            status: 403,
        });
        advanceClock((3600 + 61) * 1000);
        await expect(server.verifier.verify(token)).rejects.toMatchObject({
            code: "invalid_token",
            message: "the token has expired",
        });
    });

    it("honours a token no longer than the JWKS cache: a key withdrawn from the JWKS stops it after cacheMaxAgeMs", async () => {
        const keys = await freshStandIn();
        const local = keys.contractFor(contract);
        const verifier = createTokenVerifier(local, { cacheMaxAgeMs: 60_000 });
        const token = await keys.issue(local);
        await verifier.verify(token);
        keys.published = [KEYS.rotated];
        advanceClock(30_000);
        await verifier.verify(token);
        expect(keys.jwksRequests).toBe(1);
        advanceClock(31_000);
        await expect(verifier.verify(token)).rejects.toMatchObject({
            code: "invalid_token",
            message: "no key in the issuer's JWKS matches the token's kid and alg",
        });
        expect(keys.jwksRequests).toBe(2);
        await keys.stop();
    });
});
