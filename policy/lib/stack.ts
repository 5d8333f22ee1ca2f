/** Helpers for stack policies, which see every resource's outputs at once. */
import type { PolicyResource } from "@pulumi/policy";
import { knownString, readOutput } from "./fields";
import { isMcpApi, type McpApiSelection } from "./mcp-apis";
import { AUTH0_TYPES } from "../facts/resource-types";

export function resourcesOfType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
    return resources.filter((resource) => resource.type === type);
}

/** A ResourceServer and its identifier (undefined when unknown at preview). */
export interface StackApi {
    api: PolicyResource;
    identifier: string | undefined;
}

/** The stack's MCP APIs (see policy/lib/mcp-apis): an API whose identifier is unknown counts as one (fail closed). */
export function mcpApisInStack(resources: readonly PolicyResource[], selection: McpApiSelection): StackApi[] {
    return resourcesOfType(resources, AUTH0_TYPES.resourceServer)
        .map((api) => ({ api, identifier: knownString(readOutput(api, "identifier")) }))
        .filter((entry) => isMcpApi(entry.identifier, entry.api.urn, selection));
}
