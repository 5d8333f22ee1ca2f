#!/usr/bin/env node
// Token verifier benchmark (issue 12): verifications per second with a warm JWKS cache, next to the raw
// node:crypto RS256 verify rate measured in the same run, and the cost of a cold start (a new verifier's first
// token: JWKS fetch over HTTP on 127.0.0.1 and key import included). Goal: full verification ≥ 60 % of the raw
// rate. Also shown: a session's repeated token, which the verified-token cache answers without a signature check.
// Needs the built package (dist/, made by `npm run build`). BENCH_SECONDS sets each timed phase (default 2).
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { SignJWT, createLocalJWKSet, exportJWK, jwtVerify } from "jose";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.join(root, "dist", "src", "verifier", "index.js");
if (!fs.existsSync(entry)) {
    console.error(`bench-verifier: the verifier is not built (${entry}): run 'npm run build' first`);
    process.exit(2);
}
const { createTokenVerifier } = createRequire(import.meta.url)(entry);
const seconds = Number(process.env.BENCH_SECONDS ?? 2);

const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const kid = "bench-rs256";
const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] });
let jwksRequests = 0;
const server = http.createServer((req, res) => {
    jwksRequests++;
    res.writeHead(200, { "Content-Type": "application/json" }).end(jwks);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

// The contract the McpApi component exports for its defaults (RS256, rfc9068_profile_authz, 3600 s).
const issuer = "https://bench.example.com/";
const contract = {
    contractVersion: 1,
    issuer,
    audience: "https://mcp.bench.example.com/mcp",
    jwksUri: `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`,
    algorithms: ["RS256"],
    tokenType: "at+jwt",
    requiredClaims: ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"],
    scopeClaim: "scope",
    permissionsClaim: "permissions",
    requiredScopes: ["tools:read"],
    maxTokenLifetimeSeconds: 3600,
    clockToleranceSeconds: 60,
    resourceMetadataUrl: "https://mcp.bench.example.com/.well-known/oauth-protected-resource/mcp",
};

const now = Math.floor(Date.now() / 1000);
const tokens = await Promise.all(
    Array.from({ length: 64 }, (_, i) =>
        new SignJWT({
            client_id: "tpc_bench",
            azp: "tpc_bench",
            scope: "openid tools:read tools:call",
            permissions: ["tools:read", "tools:call"],
            jti: crypto.randomUUID(),
        })
            .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid })
            .setIssuer(issuer)
            .setAudience([contract.audience, `${issuer}userinfo`])
            .setSubject(`auth0|user-${i}`)
            .setIssuedAt(now)
            .setExpirationTime(now + 3600)
            .sign(privateKey),
    ),
);

/** Runs `step` for `seconds` (after a short warm-up) and returns operations per second. */
async function rate(step) {
    for (let i = 0; i < 200; i++) await step(i);
    let count = 0;
    const start = process.hrtime.bigint();
    const budget = BigInt(Math.round(seconds * 1e9));
    while (process.hrtime.bigint() - start < budget) {
        for (let i = 0; i < 100; i++) await step(count++);
    }
    return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Cold start: a new verifier (as at server start-up) and its first token.
const coldMs = [];
for (let i = 0; i < 15; i++) {
    const start = process.hrtime.bigint();
    await createTokenVerifier(contract).verify(tokens[i % tokens.length]);
    coldMs.push(Number(process.hrtime.bigint() - start) / 1e6);
}

// Every token verified in full (signature included): the verified-token cache is off.
const verifier = createTokenVerifier(contract, { verifiedTokenCacheSize: 0 });
await verifier.verify(tokens[0]);
// An MCP session sends the same token with every request: the default verifier verifies it once.
const sessionVerifier = createTokenVerifier(contract);
await sessionVerifier.verify(tokens[0]);
const fetchesBefore = jwksRequests;

const [headerB64, payloadB64, signatureB64] = tokens[0].split(".");
const signingInput = Buffer.from(`${headerB64}.${payloadB64}`);
const signature = Buffer.from(signatureB64, "base64url");
const raw = await rate(() => crypto.verify("RSA-SHA256", signingInput, publicKey, signature));
// What jose 6 calls for every RS256 token: WebCrypto, whose RSA verify Node runs as a job on the libuv pool.
const webCryptoKey = await crypto.subtle.importKey(
    "jwk",
    await exportJWK(publicKey),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["verify"],
);
const webCrypto = await rate(() => crypto.subtle.verify("RSASSA-PKCS1-v1_5", webCryptoKey, signature, signingInput));
// jose alone on the same tokens and checks, keys from an in-memory set: the verifier's own overhead is the gap.
const localKeys = createLocalJWKSet(JSON.parse(jwks));
const joseOptions = {
    algorithms: contract.algorithms,
    issuer,
    audience: contract.audience,
    typ: "at+jwt",
    requiredClaims: contract.requiredClaims,
    clockTolerance: 60,
    maxTokenAge: 3600,
};
const bareJose = await rate((i) => jwtVerify(tokens[i % tokens.length], localKeys, joseOptions));
const full = await rate((i) => verifier.verify(tokens[i % tokens.length]));
// Steps i = 0, 16, 32, … each verify 16 tokens at once; the others do nothing, so steps/s = verifications/s.
const fullConcurrent = await rate(async (i) => {
    if (i % 16 !== 0) return;
    await Promise.all(Array.from({ length: 16 }, (_, j) => verifier.verify(tokens[(i + j) % tokens.length])));
});
const session = await rate((i) => sessionVerifier.verify(tokens[i % tokens.length]));
const rawAgain = await rate(() => crypto.verify("RSA-SHA256", signingInput, publicKey, signature));
server.close();

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const pct = (n) => `${((n / raw) * 100).toFixed(0)} % of raw`;
console.log(
    `verifier benchmark (${seconds} s per phase, RS256 2048-bit, node ${process.version}, ${(await import("node:os")).availableParallelism()} CPUs)`,
);
console.log(
    `  raw node:crypto RS256 verify (sync, one core):      ${fmt(raw)}/s  (again at the end: ${fmt(rawAgain)}/s)`,
);
console.log(`  raw WebCrypto RS256 verify (what jose calls):       ${fmt(webCrypto)}/s  (${pct(webCrypto)})`);
console.log(`  bare jose jwtVerify, in-memory keys:               ${fmt(bareJose)}/s  (${pct(bareJose)})`);
console.log(`  full verification, one at a time:                  ${fmt(full)}/s  (${pct(full)}; goal >= 60 %)`);
console.log(
    `  full verification, 16 in flight:                   ${fmt(fullConcurrent)}/s  (${pct(fullConcurrent)}; WebCrypto runs RSA on the libuv pool, so more than one core)`,
);
console.log(
    `  same session token again (verified-token cache):   ${fmt(session)}/s  (no signature check: expiry and scopes only)`,
);
console.log(
    `  cold start (new verifier + first token, JWKS fetch included): median ${median(coldMs).toFixed(1)} ms, max ${Math.max(...coldMs).toFixed(1)} ms over ${coldMs.length}`,
);
console.log(`  JWKS requests during the warm phases: ${jwksRequests - fetchesBefore}`);
