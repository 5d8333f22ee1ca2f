/**
 * MCP facts shared by the components (src/) and the policy pack: one implementation each, no @pulumi imports,
 * no ajv. Facts return verdicts and codes; the component and the rules word their own messages.
 * src/ imports the pack's code only through here (test/facts/seam.test.ts enforces it).
 */
export * from "./canonical-uri";
export * from "./cimd-url";
export * from "./config-semantics";
export * from "./connection-identity";
export * from "./governance";
export * from "./mcp-api-component";
export * from "./resource-types";
export * from "./token-settings";
