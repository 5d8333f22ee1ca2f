import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { GOVERNANCE_KEYS } from "../../../policy/facts";
import { slugFromUrl } from "../naming";
import { assertNoProblems } from "../problems";
import {
    CimdClientArgs,
    McpApiReference,
    PromotedConnectionArgs,
    ResolvedTenantMcpSettingsArgs,
    TenantMcpSettingsArgs,
    resolveTenantArgs,
    tenantAllowsThirdPartyClients,
} from "./args";
import { tenantSettingsProblems } from "./validate";

export const TENANT_MCP_SETTINGS_TYPE = "auth0-mcp:index:TenantMcpSettings";

export function connectionMetadata(connection: PromotedConnectionArgs): Record<string, string> {
    const metadata: Record<string, string> = {
        [GOVERNANCE_KEYS.owner]: connection.owner,
        [GOVERNANCE_KEYS.approvalRef]: connection.approvalRef,
    };
    if (connection.reviewBy !== undefined) metadata[GOVERNANCE_KEYS.reviewBy] = connection.reviewBy;
    return metadata;
}

export function cimdClientMetadata(client: CimdClientArgs): Record<string, string> {
    return {
        [GOVERNANCE_KEYS.owner]: client.owner,
        [GOVERNANCE_KEYS.approvalRef]: client.approvalRef,
        [GOVERNANCE_KEYS.reviewBy]: client.reviewBy,
    };
}

/**
 * The tenant-wide half of an MCP setup: the Auth0 Tenant singleton with every security-relevant setting written
 * explicitly (its settings are Optional+Computed: one left out is never reverted after a dashboard change),
 * connections promoted to domain level with their approval, and pre-registered CIMD clients. Declare it once
 * per tenant. The Tenant is retained on delete: deleting it in Auth0 is a no-op, so it must not look like a reset.
 */
export class TenantMcpSettings extends pulumi.ComponentResource {
    readonly settings: ResolvedTenantMcpSettingsArgs;
    readonly thirdPartyClientsAllowed: boolean;
    readonly tenant: auth0.Tenant;
    /** Keyed by connection name. */
    readonly connections: Record<string, auth0.Connection>;
    /** Keyed by metadata URL. */
    readonly cimdClients: Record<string, auth0.ClientCimd>;

    /** Connection name → Auth0 connection id. */
    readonly promotedConnectionIds: pulumi.Output<Record<string, string>>;
    /** Metadata URL → Auth0 client id. */
    readonly cimdClientIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: TenantMcpSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = resolveTenantArgs(args);
        assertNoProblems("TenantMcpSettings", name, tenantSettingsProblems(settings));
        super(TENANT_MCP_SETTINGS_TYPE, name, {}, opts);
        this.settings = settings;
        this.thirdPartyClientsAllowed = tenantAllowsThirdPartyClients(settings);

        this.tenant = this.declareTenant(name, settings);
        this.connections = this.declarePromotedConnections(name, settings);
        this.cimdClients = this.declareCimdClients(name, settings);
        this.promotedConnectionIds = pulumi.all(
            Object.fromEntries(Object.entries(this.connections).map(([key, c]) => [key, c.id])),
        ) as pulumi.Output<Record<string, string>>;
        this.cimdClientIds = pulumi.all(
            Object.fromEntries(Object.entries(this.cimdClients).map(([key, c]) => [key, c.clientId])),
        ) as pulumi.Output<Record<string, string>>;

        this.registerOutputs({
            promotedConnectionIds: this.promotedConnectionIds,
            cimdClientIds: this.cimdClientIds,
        });
    }

    private declareTenant(name: string, settings: ResolvedTenantMcpSettingsArgs): auth0.Tenant {
        const apiResources = settings.mcpApis.filter((api): api is McpApiReference & pulumi.Resource =>
            pulumi.Resource.isInstance(api),
        );
        return new auth0.Tenant(
            `${name}-tenant`,
            {
                resourceParameterProfile: settings.resourceParameterProfile,
                clientIdMetadataDocumentSupported: settings.clientIdMetadataDocumentSupported,
                ...(settings.defaultAudience !== undefined ? { defaultAudience: settings.defaultAudience } : {}),
                flags: {
                    enableDynamicClientRegistration: settings.enableDynamicClientRegistration,
                    enableClientConnections: false,
                    useScopeDescriptionsForConsent: settings.useScopeDescriptionsForConsent,
                    removeAlgFromJwks: false,
                },
            },
            // APIs first: the default audience must exist, and third-party grants should be in place before
            // registration opens.
            { parent: this, retainOnDelete: true, dependsOn: apiResources },
        );
    }

    private declarePromotedConnections(
        name: string,
        settings: ResolvedTenantMcpSettingsArgs,
    ): Record<string, auth0.Connection> {
        const connections: Record<string, auth0.Connection> = {};
        for (const connection of settings.promotedConnections) {
            connections[connection.name] = new auth0.Connection(
                `${name}-connection-${slugFromUrl(connection.name)}`,
                {
                    name: connection.name,
                    strategy: connection.strategy,
                    isDomainConnection: true,
                    metadata: connectionMetadata(connection),
                    ...(connection.displayName !== undefined ? { displayName: connection.displayName } : {}),
                    ...(connection.options !== undefined ? { options: connection.options } : {}),
                },
                // A connection carries users: dropping it from the list must not delete them. `import` adopts an
                // existing connection on the first run (Pulumi wants it removed afterwards, so it cannot drive this).
                {
                    parent: this,
                    retainOnDelete: true,
                    ...(connection.importId !== undefined ? { import: connection.importId } : {}),
                },
            );
        }
        return connections;
    }

    /** Needs `this.tenant`: CIMD must be enabled on the tenant before Auth0 accepts the registration. */
    private declareCimdClients(
        name: string,
        settings: ResolvedTenantMcpSettingsArgs,
    ): Record<string, auth0.ClientCimd> {
        const clients: Record<string, auth0.ClientCimd> = {};
        for (const client of settings.cimdClients) {
            clients[client.metadataUrl] = new auth0.ClientCimd(
                `${name}-cimd-${slugFromUrl(client.metadataUrl)}`,
                {
                    externalClientId: client.metadataUrl,
                    clientMetadata: cimdClientMetadata(client),
                    ...(client.description !== undefined ? { description: client.description } : {}),
                    ...(client.metadataVersion !== undefined
                        ? { externalClientIdVersion: client.metadataVersion }
                        : {}),
                },
                { parent: this, dependsOn: [this.tenant] },
            );
        }
        return clients;
    }
}
