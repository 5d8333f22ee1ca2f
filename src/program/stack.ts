import type * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, StackConfig, loadStackConfig } from "./config/load";
import { McpApi } from "../components/mcp-api/component";
import { ValidationContract } from "../components/mcp-api/contract";
import { ProtectedResourceMetadata } from "../components/mcp-api/metadata";
import { slugFromUrl } from "../components/naming";
import { PromotedConnectionArgs } from "../components/tenant/args";
import { TenantMcpSettings } from "../components/tenant/component";
import { issuerForDomain, jwksUriForDomain } from "../components/tenant-domain";

/** Stack config as the Pulumi runtime holds it (`Pulumi.<stack>.yaml`, objects as JSON strings). */
export function pulumiConfigSource(): ConfigSource {
    return {
        get: (key) => pulumi.runtime.getConfig(key),
        keys: () => Object.keys(pulumi.runtime.allConfig()),
    };
}

/** What an MCP server's stack reads for one API. */
export interface McpApiStackOutputs {
    audience: pulumi.Output<string>;
    issuer: pulumi.Output<string>;
    jwksUri: pulumi.Output<string>;
    scopes: pulumi.Output<string[]>;
    protectedResourceMetadata: pulumi.Output<ProtectedResourceMetadata>;
    protectedResourceMetadataUrl: pulumi.Output<string>;
    validationContract: pulumi.Output<ValidationContract>;
}

export interface StackOutputs {
    tenantDomain: string;
    issuer: string;
    jwksUri: string;
    /** Keyed by API identifier (= audience). */
    apis: Record<string, McpApiStackOutputs>;
    resourceParameterProfile: string;
    dynamicClientRegistration: boolean;
    clientIdMetadataDocuments: boolean;
    defaultAudience: string | null;
    promotedConnectionIds: pulumi.Output<Record<string, string>>;
    cimdClientIds: pulumi.Output<Record<string, string>>;
}

export const TENANT_COMPONENT_NAME = "mcp-tenant";

/** The McpApi component's logical name: derived from its (immutable) identifier. */
export function mcpApiComponentName(identifier: string): string {
    return slugFromUrl(identifier);
}

function withConnectionSecrets(config: StackConfig): PromotedConnectionArgs[] {
    return (config.tenant.promotedConnections ?? []).map((connection) => {
        const secret = config.connectionSecrets[connection.name];
        if (secret === undefined) return connection;
        const options = { ...((connection.options ?? {}) as object), clientSecret: pulumi.secret(secret) };
        return { ...connection, options: options as pulumi.Input<auth0.types.input.ConnectionOptions> };
    });
}

/**
 * The program: validate all stack config (throwing before any resource is registered), then declare one
 * McpApi per configured API and the tenant's TenantMcpSettings, and return the stack outputs.
 */
export function buildStack(source: ConfigSource = pulumiConfigSource()): StackOutputs {
    const config = loadStackConfig(source);

    const apis = config.apis.map((args) => new McpApi(mcpApiComponentName(args.identifier), args));
    const tenant = new TenantMcpSettings(TENANT_COMPONENT_NAME, {
        ...config.tenant,
        promotedConnections: withConnectionSecrets(config),
        mcpApis: apis,
    });

    return {
        tenantDomain: config.tenantDomain,
        issuer: issuerForDomain(config.tenantDomain),
        jwksUri: jwksUriForDomain(config.tenantDomain),
        apis: Object.fromEntries(
            apis.map((api) => [
                api.identifier,
                {
                    audience: api.audience,
                    issuer: api.issuer,
                    jwksUri: api.jwksUri,
                    scopes: api.scopes,
                    protectedResourceMetadata: api.protectedResourceMetadata,
                    protectedResourceMetadataUrl: api.protectedResourceMetadataUrl,
                    validationContract: api.validationContract,
                },
            ]),
        ),
        resourceParameterProfile: tenant.settings.resourceParameterProfile,
        dynamicClientRegistration: tenant.settings.enableDynamicClientRegistration,
        clientIdMetadataDocuments: tenant.settings.clientIdMetadataDocumentSupported,
        defaultAudience: tenant.settings.defaultAudience ?? null,
        promotedConnectionIds: tenant.promotedConnectionIds,
        cimdClientIds: tenant.cimdClientIds,
    };
}
