import { McpApi } from "../../src/components/mcp-api/component";
import type { McpApiArgs } from "../../src/components/mcp-api/args";
import type { ValidationContract } from "../../src/components/mcp-api/contract";
import { runUnderMocks } from "../helpers/mocks";

export const API_ARGS: McpApiArgs = {
    identifier: "https://mcp.example.com/mcp",
    tenantDomain: "example-dev.us.auth0.com",
    scopes: [
        { name: "tools:read", description: "List tools" },
        { name: "tools:call", description: "Call tools" },
    ],
    requiredScopes: ["tools:read"],
    thirdPartyClientsAllowed: true,
};

/** The validation contract exactly as the McpApi component outputs it under Pulumi mocks. */
export async function componentContract(overrides: Partial<McpApiArgs> = {}): Promise<ValidationContract> {
    const run = await runUnderMocks({}, () => {
        const api = new McpApi("orders", { ...API_ARGS, ...overrides });
        return { contract: api.validationContract };
    });
    if (run.error) throw run.error;
    return (run.outputs as { contract: ValidationContract }).contract;
}
