import { PolicyPack } from "@pulumi/policy";
import { MCP_POLICIES, POLICY_PACK_NAME } from "./registry";

new PolicyPack(POLICY_PACK_NAME, {
    description: "Guardrails for Auth0 tenants that act as the OAuth authorization server of MCP servers.",
    enforcementLevel: "mandatory",
    provider: "auth0",
    tags: ["auth0", "mcp", "oauth"],
    policies: MCP_POLICIES,
});
