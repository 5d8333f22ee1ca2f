import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
    InsufficientScopeError,
    InvalidTokenError,
    ServerError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { buildStack } from "../../src/program/stack";
import type { ProtectedResourceMetadata } from "../../src/components/mcp-api/metadata";
import type { ValidationContract } from "../../src/components/mcp-api/contract";
import { createTokenVerifier } from "../../src/verifier";
import { mcpBearerAuthOptions, mcpTokenVerifier } from "../../src/verifier/mcp-sdk";
import { startExampleServer, type RunningServer } from "../../examples/mcp-server/server";
import { runUnderMocks } from "../helpers/mocks";
import { configAt, editedStackConfig } from "../helpers/stack-config";
import { AuthorizationServerStandIn } from "./authorization-server";
import { defined } from "../helpers/defined";

// The example MCP server end to end: the dev stack's program runs under Pulumi mocks with the MCP server's
// identifier on loopback, its `apis` output is written to a file as `pulumi stack output apis --json` would, and
// the example server reads it. An MCP client (the official SDK's) talks to it over real HTTP.

/** One entry of the `apis` stack output, resolved as `pulumi stack output apis --json` prints it. */
interface ApiOutputs {
    issuer: string;
    protectedResourceMetadataUrl: string;
    protectedResourceMetadata: ProtectedResourceMetadata;
    validationContract: ValidationContract;
}

let dir: string;
let identifier: string;
let api: ApiOutputs;
let standIn: AuthorizationServerStandIn;
let server: RunningServer;

async function freePort(): Promise<number> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
}

beforeAll(async () => {
    const port = await freePort();
    identifier = `http://127.0.0.1:${port}/mcp`;
    const config = editedStackConfig("dev", (c) => {
        c["auth0-mcp:allowLocalhost"] = true;
        configAt(c, "auth0-mcp:apis", 0).identifier = identifier;
    });
    const run = await runUnderMocks(config, () => buildStack());
    if (run.error) throw run.error;
    const apis = (run.outputs as { apis: Record<string, ApiOutputs> }).apis;
    api = apis[identifier];

    standIn = await AuthorizationServerStandIn.start(api.issuer);
    // The stand-in cannot answer at the tenant's host; the exported document is otherwise untouched.
    expect(api.validationContract.jwksUri).toBe(`${api.issuer}.well-known/jwks.json`);
    const exported = {
        ...apis,
        [identifier]: { ...api, validationContract: standIn.contractFor(api.validationContract) },
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-example-"));
    fs.writeFileSync(path.join(dir, "apis.json"), JSON.stringify(exported, null, 2));

    server = await startExampleServer({ contractSource: path.join(dir, "apis.json"), identifier, port });
    expect(server.origin).toBe(`http://127.0.0.1:${port}`);
});

afterAll(async () => {
    await server?.close();
    await standIn?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1" } },
};

async function post(token?: string) {
    const response = await fetch(identifier, {
        method: "POST",
        headers: {
            "Content-Type": "application/json",
            Accept: "application/json, text/event-stream",
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(initialize),
    });
    return {
        status: response.status,
        challenge: response.headers.get("www-authenticate") ?? "",
        body: await response.text(),
    };
}

async function connectedClient(token: string): Promise<Client> {
    const client = new Client({ name: "auth0-mcp-test", version: "1.0.0" });
    await client.connect(
        new StreamableHTTPClientTransport(new URL(identifier), {
            requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
    );
    return client;
}

describe("example MCP server", () => {
    it("answers a call without a token with 401 and the metadata URL; the metadata names the API and the tenant", async () => {
        const refused = await post();
        expect(refused.status).toBe(401);
        const metadataUrl = /resource_metadata="([^"]+)"/.exec(refused.challenge)?.[1];
        expect(metadataUrl).toBe(
            `http://127.0.0.1:${new URL(identifier).port}/.well-known/oauth-protected-resource/mcp`,
        );
        expect(metadataUrl).toBe(api.protectedResourceMetadataUrl);

        const metadata = (await (
            await fetch(defined(metadataUrl, "a resource_metadata URL in the challenge"))
        ).json()) as ProtectedResourceMetadata;
        expect(metadata).toEqual(api.protectedResourceMetadata);
        expect(metadata).toMatchObject({
            resource: identifier,
            authorization_servers: ["https://example-dev.us.auth0.com/"],
            scopes_supported: ["tools:read", "tools:call"],
        });
        // The client would now read the tenant's discovery; the stand-in serves the same issuer.
        const discovery = (await (await fetch(standIn.discoveryUrl)).json()) as { issuer: string };
        expect(discovery.issuer).toBe(metadata.authorization_servers[0]);
    });

    it("serves a valid token's MCP session: tools listed and called with the caller's identity", async () => {
        const client = await connectedClient(await standIn.issue(standIn.contractFor(api.validationContract)));
        try {
            expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["whoami"]);
            const result = await client.callTool({ name: "whoami", arguments: {} });
            expect(result.structuredContent).toMatchObject({
                subject: "auth0|65f0c1d2e3a4b5c6d7e8f901",
                clientId: "tpc_9a8b7c6d5e4f3a2b1c0d",
                scopes: expect.arrayContaining(["tools:read", "tools:call"]),
            });
        } finally {
            await client.close();
        }
    });

    it("refuses a token for another audience with 401 invalid_token", async () => {
        const token = await standIn.issue(standIn.contractFor(api.validationContract), {
            claims: { aud: ["https://other.example.com/mcp", `${api.issuer}userinfo`] },
        });
        const refused = await post(token);
        expect(refused.status).toBe(401);
        expect(refused.challenge).toMatch(
            /error="invalid_token", error_description="aud does not include http:\/\/127\.0\.0\.1:\d+\/mcp/,
        );
        expect(refused.challenge).toContain(`resource_metadata="${api.protectedResourceMetadataUrl}"`);
        expect(refused.body).not.toContain(token);
        await expect(connectedClient(token)).rejects.toThrow();
    });

    it("refuses a token without the contract's scopes with 403 insufficient_scope naming them", async () => {
        const token = await standIn.issue(standIn.contractFor(api.validationContract), {
            claims: { scope: "openid", permissions: ["tools:read"] },
        });
        const refused = await post(token);
        expect(refused.status).toBe(403);
        expect(refused.challenge).toMatch(/error="insufficient_scope"/);
        expect(refused.challenge).toContain('scope="tools:read tools:call"');
    });
});

// The SDK's requireBearerAuth (@modelcontextprotocol/sdk src/server/auth/middleware/bearerAuth.ts) answers
// InvalidTokenError with 401 + WWW-Authenticate, InsufficientScopeError with 403, ServerError with 500, and checks
// `authInfo.resource` against `expectedResource` and `expiresAt` itself.
describe("MCP SDK adapter", () => {
    it("maps verification outcomes onto the SDK's AuthInfo and error classes", async () => {
        const contract = standIn.contractFor(api.validationContract);
        const adapter = mcpTokenVerifier(createTokenVerifier(contract));
        const token = await standIn.issue(contract);
        expect(await adapter.verifyAccessToken(token)).toMatchObject({
            token,
            clientId: "tpc_9a8b7c6d5e4f3a2b1c0d",
            scopes: ["openid", "tools:read", "tools:call"],
            resource: new URL(identifier),
        });
        await expect(
            adapter.verifyAccessToken(await standIn.issue(contract, { claims: { iss: "https://x.example.com/" } })),
        ).rejects.toBeInstanceOf(InvalidTokenError);
        await expect(
            adapter.verifyAccessToken(await standIn.issue(contract, { claims: { scope: "openid", permissions: [] } })),
        ).rejects.toBeInstanceOf(InsufficientScopeError);

        const down = await AuthorizationServerStandIn.start(api.issuer, standIn.keys);
        down.jwksMode = "refuse";
        try {
            const unavailable = mcpTokenVerifier(createTokenVerifier(down.contractFor(contract)));
            const error = await unavailable.verifyAccessToken(token).catch((e: unknown) => e);
            // requireBearerAuth answers a ServerError with 500 server_error, never 401 invalid_token.
            expect(error).toBeInstanceOf(ServerError);
            expect((error as Error).message).toMatch(/could not be loaded/);
        } finally {
            await down.stop();
        }
    });

    it("gives requireBearerAuth the contract's scopes, metadata URL and resource", () => {
        const options = mcpBearerAuthOptions(createTokenVerifier(standIn.contractFor(api.validationContract)));
        expect(options).toMatchObject({
            requiredScopes: ["tools:read", "tools:call"],
            resourceMetadataUrl: api.protectedResourceMetadataUrl,
            expectedResource: new URL(identifier),
        });
    });
});
