/**
 * How the pack recognises an API declared through the auth0-mcp `McpApi` component: the component registers
 * under this type token, so every child's URN names it as a parent type.
 */
export const MCP_API_COMPONENT_TYPE = "auth0-mcp:index:McpApi";

/** True when the URN's type chain shows the resource was declared inside an `McpApi` component. */
export function declaredByMcpApiComponent(urn: string): boolean {
    const qualifiedType = urn.split("::")[2] ?? "";
    return qualifiedType.split("$").slice(0, -1).includes(MCP_API_COMPONENT_TYPE);
}
