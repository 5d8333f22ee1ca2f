import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from "jose";
import type { ValidationContract } from "../../src/components/mcp-api/contract";

/**
 * A stand-in for an Auth0 tenant on 127.0.0.1: real RSA and EC key pairs, a JWKS endpoint at Auth0's path
 * (`/.well-known/jwks.json`), OIDC discovery, and tokens shaped like the ones Auth0 issues for an API with an
 * RFC 9068 dialect (header `typ: at+jwt` and `kid`; `iss` with the trailing slash, `aud` = [API identifier,
 * `<issuer>userinfo`], `sub`, `client_id`, `azp`, `iat`, `exp = iat + token lifetime`, `jti`, `scope`, and
 * `permissions` for authz dialects). It cannot answer at the tenant's host, so a test points the contract's
 * `jwksUri` here; every other field comes from the McpApi component.
 */

export interface SigningKey {
    kid: string;
    alg: "RS256" | "PS256" | "ES256";
    privateKey: CryptoKey;
    publicJwk: JWK;
}

export async function signingKey(
    alg: SigningKey["alg"],
    kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`,
): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
    return { kid, alg, privateKey, publicJwk };
}

export type JwksMode = "serve" | "http-500" | "not-json" | "refuse";

export interface IssueOptions {
    key?: SigningKey;
    /** Claims to add or replace; `undefined` values remove the claim. */
    claims?: Record<string, unknown>;
    /** Protected-header members to add or replace; `undefined` removes one. */
    header?: Record<string, unknown>;
}

export class AuthorizationServerStandIn {
    /** Keys published in the JWKS (public halves). */
    published: SigningKey[];
    jwksMode: JwksMode = "serve";
    /** Requests the JWKS endpoint received, whatever it answered. */
    jwksRequests = 0;
    private server: http.Server | undefined;
    private origin = "";

    constructor(
        readonly issuer: string,
        readonly keys: { rsa: SigningKey; ec: SigningKey },
    ) {
        this.published = [keys.rsa, keys.ec];
    }

    /** `keys.rsa` signs by default (RS256 or PS256); pass keys to share them between stand-ins (RSA keygen is slow). */
    static async start(
        issuer: string,
        keys?: { rsa: SigningKey; ec: SigningKey },
    ): Promise<AuthorizationServerStandIn> {
        const standIn = new AuthorizationServerStandIn(
            issuer,
            keys ?? { rsa: await signingKey("RS256"), ec: await signingKey("ES256") },
        );
        await standIn.listen();
        return standIn;
    }

    get jwksUri(): string {
        return `${this.origin}/.well-known/jwks.json`;
    }

    get discoveryUrl(): string {
        return `${this.origin}/.well-known/openid-configuration`;
    }

    /** The component's contract with only its JWKS location moved here (same path as Auth0's). */
    contractFor(contract: ValidationContract): ValidationContract {
        return { ...contract, jwksUri: this.jwksUri };
    }

    /** An access token for `contract`'s API as Auth0 would issue it, then `options` applied. */
    async issue(contract: ValidationContract, options: IssueOptions = {}): Promise<string> {
        const key = options.key ?? this.keys.rsa;
        const now = Math.floor(Date.now() / 1000);
        const scopes = contract.requiredScopes.length > 0 ? contract.requiredScopes : ["openid"];
        const claims: Record<string, unknown> = {
            iss: contract.issuer,
            sub: "auth0|65f0c1d2e3a4b5c6d7e8f901",
            aud: [contract.audience, `${contract.issuer}userinfo`],
            iat: now,
            exp: now + contract.maxTokenLifetimeSeconds,
            jti: randomUUID(),
            client_id: "tpc_9a8b7c6d5e4f3a2b1c0d",
            azp: "tpc_9a8b7c6d5e4f3a2b1c0d",
            scope: `openid ${scopes.join(" ")}`,
            ...(contract.permissionsClaim ? { permissions: [...scopes] } : {}),
        };
        applyEdits(claims, options.claims);
        const header: Record<string, unknown> = {
            alg: key.alg,
            typ: contract.tokenType === "at+jwt" ? "at+jwt" : "JWT",
            kid: key.kid,
        };
        applyEdits(header, options.header);
        return new SignJWT(claims as JWTPayload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
    }

    private async listen(): Promise<void> {
        const server = http.createServer((req, res) => this.handle(req, res));
        this.server = server;
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const json = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
        };
        if (req.url === "/.well-known/jwks.json") {
            this.jwksRequests++;
            if (this.jwksMode === "refuse") return void req.socket.destroy();
            if (this.jwksMode === "http-500") return json(500, { error: "server_error" });
            if (this.jwksMode === "not-json") {
                res.writeHead(200, { "Content-Type": "text/html" });
                return void res.end("<html>maintenance</html>");
            }
            return json(200, { keys: this.published.map((k) => k.publicJwk) });
        }
        if (req.url === "/.well-known/openid-configuration") {
            return json(200, {
                issuer: this.issuer,
                jwks_uri: this.jwksUri,
                id_token_signing_alg_values_supported: ["RS256", "PS256"],
                response_types_supported: ["code"],
                code_challenge_methods_supported: ["S256"],
            });
        }
        json(404, { error: "not_found" });
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

function applyEdits(target: Record<string, unknown>, edits: Record<string, unknown> | undefined): void {
    for (const [name, value] of Object.entries(edits ?? {})) {
        if (value === undefined) delete target[name];
        else target[name] = value;
    }
}
