/**
 * A Streamable HTTP MCP server protected by the validation contract a stack exports. In your own server, import
 * from "auth0-mcp/verifier" and "auth0-mcp/verifier/mcp-sdk"; this example imports the sources it ships with.
 *
 *   pulumi stack output apis --json > apis.json
 *   PORT=3000 npx ts-node --transpile-only examples/mcp-server/main.ts apis.json https://mcp.example.com/mcp
 *
 * The server listens on 127.0.0.1 behind the TLS proxy that answers at the API identifier; it serves MCP at the
 * identifier's path and the RFC 9728 metadata at the contract's `resourceMetadataUrl` path.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Request, Response } from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import {
    ContractError,
    createTokenVerifier,
    loadValidationContract,
    protectedResourceMetadataHandler,
    type VerifierOptions,
} from "../../src/verifier";
import { mcpBearerAuthOptions } from "../../src/verifier/mcp-sdk";

export interface ExampleServerOptions {
    /** The stack's `apis` output (file, URL or object), one entry of it, or all stack outputs. */
    contractSource: string | URL | object;
    /** Which API this server is, when the document holds several. */
    identifier?: string;
    host?: string;
    port?: number;
    verifier?: VerifierOptions;
}

export interface RunningServer {
    /** Where the server listens (not the public URL, which is the contract's audience). */
    origin: string;
    close(): Promise<void>;
}

export async function startExampleServer(options: ExampleServerOptions): Promise<RunningServer> {
    const { contract, protectedResourceMetadata } = await loadValidationContract(options.contractSource, {
        identifier: options.identifier,
    });
    if (protectedResourceMetadata === undefined) {
        throw new ContractError(
            `${String(options.contractSource)}: holds the validation contract but not the protected-resource metadata; pass the stack's apis output (pulumi stack output apis --json)`,
        );
    }
    const verifier = createTokenVerifier(contract, options.verifier);
    const host = options.host ?? "127.0.0.1";
    const mcpPath = new URL(contract.audience).pathname;

    const app = createMcpExpressApp({ host });
    app.use(protectedResourceMetadataHandler(contract, protectedResourceMetadata));
    app.all(mcpPath, requireBearerAuth(mcpBearerAuthOptions(verifier)), async (req: Request, res: Response) => {
        if (req.method !== "POST") {
            // Stateless server: no SSE stream to resume (GET) and no session to end (DELETE).
            res.status(405)
                .set("Allow", "POST")
                .json({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null });
            return;
        }
        const server = mcpServer();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on("close", () => {
            void transport.close();
            void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
    });

    const listener: Server = await new Promise((resolve, reject) => {
        const s = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
    });
    const { port } = listener.address() as AddressInfo;
    return {
        origin: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
        close: () =>
            new Promise((resolve) => {
                listener.closeAllConnections();
                listener.close(() => resolve());
            }),
    };
}

/** The MCP server itself: one tool that reports who called it, from the verified token. */
function mcpServer(): McpServer {
    const server = new McpServer({ name: "auth0-mcp-example", version: "1.0.0" });
    server.registerTool(
        "whoami",
        { title: "Who am I", description: "The user and client the access token was issued to, and its scopes." },
        async (extra) => {
            const auth = extra.authInfo;
            const identity = {
                subject: auth?.extra?.subject,
                clientId: auth?.clientId,
                scopes: auth?.scopes,
                expiresAt: auth?.expiresAt,
            };
            return { content: [{ type: "text", text: JSON.stringify(identity) }], structuredContent: identity };
        },
    );
    return server;
}
