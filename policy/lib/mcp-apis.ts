/**
 * Which ResourceServers are MCP APIs. In real tenants most APIs are ordinary ones, so the policy config may name the
 * MCP APIs by identifier pattern; without that setting every API counts (fail closed). APIs declared through the
 * auth0-mcp `McpApi` component are MCP APIs without any config: their URN names the component as parent type.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { declaredByMcpApiComponent } from "../facts/mcp-api-component";

export interface McpApiSelection {
    /** Identifier patterns of MCP APIs: exact identifiers, or a prefix ending in `*`. Unset: every API. */
    mcpApiIdentifiers?: string[];
    /** Identifiers of APIs that are not MCP servers; they are skipped. */
    exemptIdentifiers: string[];
}

function matchesIdentifierPattern(identifier: string, pattern: string): boolean {
    return pattern.endsWith("*") ? identifier.startsWith(pattern.slice(0, -1)) : identifier === pattern;
}

/**
 * Is this API an MCP API? `identifier` undefined means unknown or unset: it is treated as an MCP API (fail closed)
 * unless the component declared it.
 */
export function isMcpApi(identifier: string | undefined, urn: string, selection: McpApiSelection): boolean {
    if (identifier !== undefined && selection.exemptIdentifiers.includes(identifier)) return false;
    if (declaredByMcpApiComponent(urn)) return true;
    if (selection.mcpApiIdentifiers === undefined || identifier === undefined) return true;
    return selection.mcpApiIdentifiers.some((pattern) => matchesIdentifierPattern(identifier, pattern));
}

/**
 * A pattern must name at least an https scheme and a whole host, so that a `*` cannot silently widen to every API
 * (`*`, `https://*`) or to look-alike hosts (`https://mcp.example.com*` would admit `https://mcp.example.com.evil`).
 */
const PATTERN = "^https://[a-z0-9.-]+(:[0-9]+)?(/[^*#?\\s]*\\*?)?$";

export const MCP_API_SELECTION_SCHEMA: PolicyConfigSchema["properties"] = {
    mcpApiIdentifiers: {
        type: "array",
        description:
            "Identifiers of the tenant's MCP APIs: exact identifiers or a prefix ending in '*' after a '/' (e.g. https://mcp.example.com/*). " +
            "Not set: every ResourceServer is an MCP API. APIs declared by the McpApi component always are.",
        items: { type: "string", pattern: PATTERN },
        minItems: 1,
        uniqueItems: true,
    },
    exemptIdentifiers: {
        type: "array",
        description: "Exact identifiers of APIs that are not MCP servers; this policy skips them.",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
        default: [],
    },
};
