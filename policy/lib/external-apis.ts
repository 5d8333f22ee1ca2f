/**
 * APIs managed in another stack (split layouts: the tenant in one stack, MCP APIs and grants in others). The policy
 * config declares each with the settings that stack gives it, so the rules can judge a default audience or a
 * default grant that names it as they judge an API declared in the same stack.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { plainReader, type FieldReader } from "./api-validation";

export interface ExternalApi {
    identifier: string;
    /** The Pulumi project/stack (or other system) that manages this API. */
    managedIn: string;
    signingAlg: string;
    tokenDialect: string;
    tokenLifetime: number;
    tokenEncryption?: boolean;
    /** `subjectTypeAuthorization.user.policy` of the API. */
    userAuthorizationPolicy?: string;
    /** Scopes the API declares (for default third-party grants naming it). */
    scopes?: string[];
}

export const EXTERNAL_APIS_SCHEMA: PolicyConfigSchema["properties"] = {
    externalApis: {
        type: "array",
        description:
            "APIs managed in another stack: their identifier, where they are managed and the token settings that stack gives them.",
        default: [],
        items: {
            type: "object",
            additionalProperties: false,
            required: ["identifier", "managedIn", "signingAlg", "tokenDialect", "tokenLifetime"],
            properties: {
                identifier: { type: "string", minLength: 1 },
                managedIn: { type: "string", minLength: 1, description: "Project/stack that manages the API." },
                signingAlg: { type: "string", minLength: 1 },
                tokenDialect: { type: "string", minLength: 1 },
                tokenLifetime: { type: "integer", minimum: 1 },
                tokenEncryption: { type: "boolean", default: false },
                userAuthorizationPolicy: { type: "string", enum: ["allow_all", "deny_all", "require_client_grant"] },
                scopes: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true },
            },
        },
    },
};

/** The API's settings, read like a ResourceServer's fields. */
export function externalApiReader(api: ExternalApi): FieldReader {
    return plainReader({
        signingAlg: api.signingAlg,
        tokenDialect: api.tokenDialect,
        tokenLifetime: api.tokenLifetime,
        tokenEncryption: api.tokenEncryption === true,
        subjectTypeAuthorization: { user: { policy: api.userAuthorizationPolicy } },
    });
}
