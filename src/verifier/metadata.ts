import type { IncomingMessage, ServerResponse } from "node:http";
import type { ValidationContract } from "../components/mcp-api/contract";
import type { ProtectedResourceMetadata } from "../components/mcp-api/metadata";
import { ContractError } from "./contract";

/**
 * Serves the RFC 9728 protected-resource metadata at the path of the contract's `resourceMetadataUrl`
 * (e.g. `/.well-known/oauth-protected-resource/mcp`), the URL every 401 advertises. Connect/Express-style
 * middleware; other paths go to `next()`. The document is public: any origin may read it (browser-based MCP
 * clients discover it cross-origin).
 */
export function protectedResourceMetadataHandler(contract: ValidationContract, metadata: ProtectedResourceMetadata) {
    if (metadata.resource !== contract.audience) {
        throw new ContractError(
            `protectedResourceMetadataHandler: metadata.resource ${JSON.stringify(metadata.resource)} is not the contract's audience ${JSON.stringify(contract.audience)}; pass the metadata and contract of the same API from the stack outputs`,
        );
    }
    if (!metadata.authorization_servers.includes(contract.issuer)) {
        throw new ContractError(
            `protectedResourceMetadataHandler: metadata.authorization_servers does not list the contract's issuer ${contract.issuer}; clients would fetch tokens from a server this API does not trust`,
        );
    }
    const path = new URL(contract.resourceMetadataUrl).pathname;
    const body = JSON.stringify(metadata);
    const headers = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Cache-Control": "public, max-age=300",
    };
    return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
        const requestPath = new URL(req.url ?? "/", "http://localhost").pathname;
        if (requestPath !== path) return next();
        if (req.method === "OPTIONS") {
            res.writeHead(204, { ...headers, "Access-Control-Allow-Headers": "*" });
            res.end();
            return;
        }
        if (req.method !== "GET" && req.method !== "HEAD") {
            res.writeHead(405, { ...headers, Allow: "GET, HEAD, OPTIONS" });
            res.end();
            return;
        }
        res.writeHead(200, {
            ...headers,
            "Content-Type": "application/json",
            "Content-Length": String(Buffer.byteLength(body)),
        });
        res.end(req.method === "HEAD" ? undefined : body);
    };
}

export function metadataPath(contract: ValidationContract): string {
    return new URL(contract.resourceMetadataUrl).pathname;
}
