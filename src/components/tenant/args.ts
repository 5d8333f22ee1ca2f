import type * as auth0 from "@pulumi/auth0";
import type * as pulumi from "@pulumi/pulumi";

export const RESOURCE_PARAMETER_PROFILES = ["compatibility", "audience"] as const;
export type ResourceParameterProfile = (typeof RESOURCE_PARAMETER_PROFILES)[number];

export function isResourceParameterProfile(value: string): value is ResourceParameterProfile {
    return (RESOURCE_PARAMETER_PROFILES as readonly string[]).includes(value);
}

/** What the tenant needs to know about an MCP API; an McpApi component satisfies it. */
export interface McpApiReference {
    identifier: string;
    thirdPartyClientsAllowed: boolean;
}

/** A connection made domain-level (usable by third-party apps): a tenant-wide trust decision, so it carries its approval. */
export interface PromotedConnectionArgs {
    /** Auth0 connection name, e.g. `google-oauth2`. */
    name: string;
    /** Auth0 strategy, e.g. `google-oauth2`, `oidc`, `samlp`. */
    strategy: string;
    /** Who answers for this promotion (team or person), recorded as metadata `mcp_owner`. */
    owner: string;
    /** Ticket or document approving it, recorded as metadata `mcp_approval_ref`. */
    approvalRef: string;
    /** Optional `YYYY-MM-DD` date by which the promotion is reviewed, recorded as `mcp_review_by`. */
    reviewBy?: string;
    displayName?: string;
    /**
     * Adopt an existing connection (`con_…`) instead of creating one. Pulumi then owns all of its settings, so
     * `options` must describe it as it is. Remove it after the first successful `pulumi up`.
     */
    importId?: string;
    /**
     * Strategy-specific options, passed to the provider unchanged. For a strategy whose provider is not fixed by
     * the strategy (oidc, okta, samlp, waad, adfs, pingfederate, google-apps, oauth2, …) they must name the provider
     * (`issuer` / `discoveryUrl`, `signInEndpoint` / `metadataUrl`, `domain` / `tenantDomain`, …): the
     * approved-identity-providers policy matches the connection to its pinned approval by those values.
     */
    options?: pulumi.Input<auth0.types.input.ConnectionOptions>;
}

/** A client pre-registered by its Client ID Metadata Document URL: a governed identity with an owner and a review date. */
export interface CimdClientArgs {
    /**
     * HTTPS URL of the client's metadata document; becomes its client_id. Judged by the same rules as the
     * cimd-client-governance policy (policy/facts/cimd-url.ts): canonical, lowercase host name, a path, no query,
     * fragment, credentials, backslash, IP, IDN host or spelled-out :443.
     */
    metadataUrl: string;
    owner: string;
    approvalRef: string;
    /** `YYYY-MM-DD`. */
    reviewBy: string;
    description?: string;
    /** Bump to make Auth0 re-read the metadata document. */
    metadataVersion?: number;
}

/** Arguments of the TenantMcpSettings component (one per tenant). */
export interface TenantMcpSettingsArgs {
    /**
     * Every McpApi of the tenant (McpApi components, or plain references to APIs declared elsewhere); the default
     * audience must name one of them. Components among them are created before the Tenant is updated.
     */
    mcpApis: readonly McpApiReference[];
    /** Default `compatibility`: Auth0 accepts the RFC 8707 `resource` parameter as audience. */
    resourceParameterProfile?: ResourceParameterProfile;
    /** Open Dynamic Client Registration. Default false (DCR endpoint is unauthenticated). */
    enableDynamicClientRegistration?: boolean;
    /** Accept Client ID Metadata Document clients. Default true. */
    clientIdMetadataDocumentSupported?: boolean;
    /** Tenant-wide default audience; must be the identifier of one of `mcpApis`. Default: none. */
    defaultAudience?: string;
    /** Show scope descriptions on consent screens. Default true. */
    useScopeDescriptionsForConsent?: boolean;
    promotedConnections?: PromotedConnectionArgs[];
    cimdClients?: CimdClientArgs[];
}

export interface ResolvedTenantMcpSettingsArgs {
    mcpApis: TenantMcpSettingsArgs["mcpApis"];
    resourceParameterProfile: ResourceParameterProfile;
    enableDynamicClientRegistration: boolean;
    clientIdMetadataDocumentSupported: boolean;
    defaultAudience: string | undefined;
    useScopeDescriptionsForConsent: boolean;
    promotedConnections: PromotedConnectionArgs[];
    cimdClients: CimdClientArgs[];
}

export const TENANT_DEFAULTS = {
    resourceParameterProfile: "compatibility" as ResourceParameterProfile,
    enableDynamicClientRegistration: false,
    clientIdMetadataDocumentSupported: true,
    useScopeDescriptionsForConsent: true,
} as const;

export function resolveTenantArgs(args: TenantMcpSettingsArgs): ResolvedTenantMcpSettingsArgs {
    return {
        mcpApis: args.mcpApis,
        resourceParameterProfile: args.resourceParameterProfile ?? TENANT_DEFAULTS.resourceParameterProfile,
        enableDynamicClientRegistration:
            args.enableDynamicClientRegistration ?? TENANT_DEFAULTS.enableDynamicClientRegistration,
        clientIdMetadataDocumentSupported:
            args.clientIdMetadataDocumentSupported ?? TENANT_DEFAULTS.clientIdMetadataDocumentSupported,
        defaultAudience: args.defaultAudience,
        useScopeDescriptionsForConsent:
            args.useScopeDescriptionsForConsent ?? TENANT_DEFAULTS.useScopeDescriptionsForConsent,
        promotedConnections: args.promotedConnections ?? [],
        cimdClients: args.cimdClients ?? [],
    };
}

/**
 * Whether a tenant with these settings lets third-party clients in (DCR or CIMD). McpApi needs this before the
 * tenant component exists, to decide whether to create the default third-party grant.
 */
export function tenantAllowsThirdPartyClients(args: {
    enableDynamicClientRegistration?: boolean;
    clientIdMetadataDocumentSupported?: boolean;
}): boolean {
    return (
        (args.enableDynamicClientRegistration ?? TENANT_DEFAULTS.enableDynamicClientRegistration) ||
        (args.clientIdMetadataDocumentSupported ?? TENANT_DEFAULTS.clientIdMetadataDocumentSupported)
    );
}
