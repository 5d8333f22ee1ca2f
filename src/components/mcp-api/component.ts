import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import { MCP_API_COMPONENT_TYPE, THIRD_PARTY_CLIENTS } from "../../../policy/facts";
import { assertNoProblems } from "../problems";
import { issuerForDomain, jwksUriForDomain } from "../tenant-domain";
import { McpApiArgs, ResolvedMcpApiArgs, resolveMcpApiArgs } from "./args";
import { ValidationContract, buildValidationContract } from "./contract";
import { ProtectedResourceMetadata, buildProtectedResourceMetadata, protectedResourceMetadataUrl } from "./metadata";
import { mcpApiProblems } from "./validate";

/** The component's type token; the pack recognises MCP APIs declared by this component by it. */
export const MCP_API_TYPE = MCP_API_COMPONENT_TYPE;

/** Auth0's recommendation for MCP APIs: users only through apps holding a grant; no machine-to-machine access. */
export const SUBJECT_TYPE_AUTHORIZATION = {
    user: { policy: "require_client_grant" },
    client: { policy: "deny_all" },
} as const;

/** The settings with defaults applied; throws InvalidComponentArgsError before anything is registered. */
function validSettings(name: string, args: McpApiArgs): ResolvedMcpApiArgs {
    const settings = resolveMcpApiArgs(args);
    assertNoProblems("McpApi", name, mcpApiProblems(settings));
    return settings;
}

function declareResourceServer(
    name: string,
    settings: ResolvedMcpApiArgs,
    parent: pulumi.Resource,
): auth0.ResourceServer {
    return new auth0.ResourceServer(
        `${name}-api`,
        {
            name: settings.displayName,
            identifier: settings.identifier,
            signingAlg: settings.signingAlg,
            tokenDialect: settings.tokenDialect,
            tokenLifetime: settings.tokenLifetimeSeconds,
            // Auth0 rejects a web lifetime above tokenLifetime and defaults it to 7200 s; MCP uses no implicit flow.
            tokenLifetimeForWeb: settings.tokenLifetimeSeconds,
            allowOfflineAccess: settings.allowOfflineAccess,
            enforcePolicies: true,
            skipConsentForVerifiableFirstPartyClients: false,
            subjectTypeAuthorization: SUBJECT_TYPE_AUTHORIZATION,
        },
        { parent },
    );
}

function declareScopes(
    name: string,
    settings: ResolvedMcpApiArgs,
    api: auth0.ResourceServer,
    parent: pulumi.Resource,
): auth0.ResourceServerScopes {
    return new auth0.ResourceServerScopes(
        `${name}-scopes`,
        {
            resourceServerIdentifier: api.identifier,
            scopes: settings.scopes.map((s) => ({ name: s.name, description: s.description })),
        },
        { parent },
    );
}

/** The default grant that lets third-party clients reach the API; none when the tenant lets no such client in. */
function declareThirdPartyGrant(
    name: string,
    settings: ResolvedMcpApiArgs,
    api: auth0.ResourceServer,
    scopes: auth0.ResourceServerScopes,
    parent: pulumi.Resource,
): auth0.ClientGrant | undefined {
    if (!settings.thirdPartyClientsAllowed) return undefined;
    return new auth0.ClientGrant(
        `${name}-third-party-default`,
        {
            audience: api.identifier,
            defaultFor: THIRD_PARTY_CLIENTS,
            subjectType: "user",
            scopes: [...settings.thirdPartyScopes],
        },
        // The grant's scopes must exist on the API first.
        { parent, dependsOn: [scopes] },
    );
}

/** What the MCP server needs to validate tokens and advertise itself, derived from the settings and the audience. */
interface PublishedOutputs {
    issuer: pulumi.Output<string>;
    jwksUri: pulumi.Output<string>;
    scopes: pulumi.Output<string[]>;
    protectedResourceMetadata: pulumi.Output<ProtectedResourceMetadata>;
    protectedResourceMetadataUrl: pulumi.Output<string>;
    validationContract: pulumi.Output<ValidationContract>;
}

function publishedOutputs(settings: ResolvedMcpApiArgs, audience: pulumi.Output<string>): PublishedOutputs {
    const scopeNames = settings.scopes.map((s) => s.name);
    const issuer = issuerForDomain(settings.tenantDomain);
    const jwksUri = jwksUriForDomain(settings.tenantDomain);
    const metadataUrl = protectedResourceMetadataUrl(settings.identifier);
    return {
        issuer: pulumi.output(issuer),
        jwksUri: pulumi.output(jwksUri),
        scopes: pulumi.output(scopeNames),
        protectedResourceMetadata: audience.apply((resource) =>
            buildProtectedResourceMetadata({
                resource,
                issuer,
                scopes: scopeNames,
                resourceName: settings.displayName,
                resourceDocumentation: settings.resourceDocumentation,
            }),
        ),
        protectedResourceMetadataUrl: pulumi.output(metadataUrl),
        validationContract: audience.apply((validatedAudience) =>
            buildValidationContract({
                issuer,
                audience: validatedAudience,
                jwksUri,
                signingAlg: settings.signingAlg,
                tokenDialect: settings.tokenDialect,
                requiredScopes: settings.requiredScopes,
                tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
                resourceMetadataUrl: metadataUrl,
            }),
        ),
    };
}

/**
 * One MCP server's Auth0 API: the resource server, its scopes and — when the tenant lets third-party clients
 * in — the default grant that lets them reach it. Exposes what the MCP server needs to validate tokens.
 * Arguments are checked before anything is registered; a bad argument throws InvalidComponentArgsError.
 */
export class McpApi extends pulumi.ComponentResource {
    /** The canonical identifier (plain value, for cross-checks such as the tenant's default audience). */
    readonly identifier: string;
    readonly thirdPartyClientsAllowed: boolean;
    readonly settings: ResolvedMcpApiArgs;

    readonly resourceServer: auth0.ResourceServer;
    readonly resourceServerScopes: auth0.ResourceServerScopes;
    /** Present only when third-party clients are allowed. */
    readonly thirdPartyGrant: auth0.ClientGrant | undefined;

    readonly audience: pulumi.Output<string>;
    readonly issuer: pulumi.Output<string>;
    readonly jwksUri: pulumi.Output<string>;
    readonly scopes: pulumi.Output<string[]>;
    readonly protectedResourceMetadata: pulumi.Output<ProtectedResourceMetadata>;
    readonly protectedResourceMetadataUrl: pulumi.Output<string>;
    readonly validationContract: pulumi.Output<ValidationContract>;

    constructor(name: string, args: McpApiArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = validSettings(name, args);
        super(MCP_API_TYPE, name, {}, opts);
        this.identifier = settings.identifier;
        this.thirdPartyClientsAllowed = settings.thirdPartyClientsAllowed;
        this.settings = settings;

        this.resourceServer = declareResourceServer(name, settings, this);
        this.resourceServerScopes = declareScopes(name, settings, this.resourceServer, this);
        this.thirdPartyGrant = declareThirdPartyGrant(
            name,
            settings,
            this.resourceServer,
            this.resourceServerScopes,
            this,
        );

        this.audience = this.resourceServer.identifier;
        const published = publishedOutputs(settings, this.audience);
        this.issuer = published.issuer;
        this.jwksUri = published.jwksUri;
        this.scopes = published.scopes;
        this.protectedResourceMetadata = published.protectedResourceMetadata;
        this.protectedResourceMetadataUrl = published.protectedResourceMetadataUrl;
        this.validationContract = published.validationContract;

        this.registerOutputs({ audience: this.audience, ...published });
    }
}
