import type * as auth0 from "@pulumi/auth0";
import { z } from "zod";

/**
 * Shape of the `auth0-mcp:` stack config. Only shape lives here (types, required fields, unknown keys); the
 * rules with domain knowledge (canonical URIs, HS256, scope references, cross-field checks) are the
 * components' own validators, run by the loader so config and library users get the same answers.
 * Every `describe()` is the expected form quoted back in error messages.
 */

// Strings are only type-checked here: empty values are caught by the semantic rules, so a blank field does not
// stop the cross-field checks of the same key from running.
const text = (description: string) => z.string().describe(description);

/**
 * An unquoted `reviewBy: 2027-06-30` reaches the program as Go's time text, "2027-06-30 00:00:00 +0000 UTC": the
 * CLI reads stack files with yaml.v3, whose decoder resolves an unquoted date to a time.Time even into interface{}
 * (gopkg.in/yaml.v3 3.0.1 decode.go `(*decoder).scalar`, `case reflect.Interface`), and stores config as text. A
 * date at midnight UTC in that form is taken as the calendar date it names, so quoting is not required.
 */
const GO_MIDNIGHT_UTC = /^(\d{4}-\d{2}-\d{2}) 00:00:00 \+0000 UTC$/;
const reviewDate = () =>
    z.preprocess(
        (value) => (typeof value === "string" ? (GO_MIDNIGHT_UTC.exec(value)?.[1] ?? value) : value),
        text("a date YYYY-MM-DD"),
    );

export const scopeSchema = z
    .strictObject({
        name: text("a scope name, e.g. tools:read"),
        description: text("a sentence shown on the consent screen, e.g. List the server's tools"),
    })
    .describe("a scope: { name, description }");

export const apiSchema = z
    .strictObject({
        identifier: text("the MCP server's canonical https URI, e.g. https://mcp.example.com/mcp"),
        displayName: text("a display name without < or >").optional(),
        scopes: z.array(scopeSchema).min(1).describe("a list of at least one { name, description }"),
        signingAlg: text("RS256 or PS256").optional(),
        tokenDialect: text("a snake_case token dialect, e.g. rfc9068_profile_authz").optional(),
        tokenLifetimeSeconds: z.number().int().describe("a whole number of seconds, at most 86400").optional(),
        allowOfflineAccess: z.boolean().describe("true or false").optional(),
        thirdPartyScopes: z
            .array(z.string().describe("a declared scope name"))
            .describe("a list of declared scope names")
            .optional(),
        requiredScopes: z
            .array(z.string().describe("a declared scope name"))
            .describe("a list of declared scope names")
            .optional(),
        resourceDocumentation: text("an https URL, e.g. https://docs.example.com/mcp").optional(),
    })
    .describe("an MCP API: { identifier, scopes, … }");

export const apisSchema = z.array(apiSchema).min(1).describe("a list of at least one MCP API");

export const promotedConnectionSchema = z
    .strictObject({
        name: text("an Auth0 connection name, e.g. google-oauth2"),
        strategy: text("an Auth0 strategy, e.g. google-oauth2, oidc, samlp"),
        owner: text("the owning team, e.g. iam-team@example.com"),
        approvalRef: text("the approving ticket, e.g. SEC-1234"),
        reviewBy: reviewDate().optional(),
        displayName: text("a display name").optional(),
        importId: text("an existing connection id, e.g. con_0000000000000001").optional(),
        // Passed to the provider unchanged (the component's identity check reads the fields it knows), so only the
        // shape is checked here; typed as the provider's options so the loader needs no cast.
        options: z
            .custom<auth0.types.input.ConnectionOptions>(
                (value) => typeof value === "object" && value !== null && !Array.isArray(value),
            )
            .describe("an object of connection options")
            .optional(),
    })
    .describe("a promoted connection: { name, strategy, owner, approvalRef, … }");

export const cimdClientSchema = z
    .strictObject({
        metadataUrl: text("the https URL of the client's metadata document"),
        owner: text("the owning team, e.g. platform-team@example.com"),
        approvalRef: text("the approving ticket, e.g. SEC-1234"),
        reviewBy: reviewDate(),
        description: text("a description of at most 140 characters").optional(),
        metadataVersion: z.number().int().describe("a whole number of at least 1").optional(),
    })
    .describe("a CIMD client: { metadataUrl, owner, approvalRef, reviewBy, … }");

export const tenantSchema = z
    .strictObject({
        resourceParameterProfile: text("compatibility or audience").optional(),
        enableDynamicClientRegistration: z.boolean().describe("true or false").optional(),
        clientIdMetadataDocumentSupported: z.boolean().describe("true or false").optional(),
        defaultAudience: text("the identifier of one of auth0-mcp:apis").optional(),
        useScopeDescriptionsForConsent: z.boolean().describe("true or false").optional(),
        promotedConnections: z.array(promotedConnectionSchema).describe("a list of promoted connections").optional(),
        cimdClients: z.array(cimdClientSchema).describe("a list of CIMD clients").optional(),
    })
    .describe("an object of tenant settings");

export const connectionSecretsSchema = z
    .record(z.string(), z.string().min(1).describe("the connection's client secret"))
    .describe("an object mapping a promoted connection's name to its client secret");

export type ApiConfig = z.infer<typeof apiSchema>;
export type TenantConfig = z.infer<typeof tenantSchema>;
export type PromotedConnectionConfig = z.infer<typeof promotedConnectionSchema>;
export type CimdClientConfig = z.infer<typeof cimdClientSchema>;

/** Every key this program reads under the `auth0-mcp:` namespace. */
export const CONFIG_NAMESPACE = "auth0-mcp";
export const CONFIG_KEYS = {
    apis: "apis",
    tenant: "tenant",
    allowLocalhost: "allowLocalhost",
    connectionSecrets: "connectionSecrets",
} as const;
export const TENANT_DOMAIN_KEY = "auth0:domain";
