/** Pulumi type tokens of the @pulumi/auth0 resources the pack and the components deal with. */
export const AUTH0_TYPES = {
    tenant: "auth0:index/tenant:Tenant",
    resourceServer: "auth0:index/resourceServer:ResourceServer",
    resourceServerScopes: "auth0:index/resourceServerScopes:ResourceServerScopes",
    resourceServerScope: "auth0:index/resourceServerScope:ResourceServerScope",
    connection: "auth0:index/connection:Connection",
    clientCimd: "auth0:index/clientCimd:ClientCimd",
    clientGrant: "auth0:index/clientGrant:ClientGrant",
    client: "auth0:index/client:Client",
} as const;

export type Auth0Type = (typeof AUTH0_TYPES)[keyof typeof AUTH0_TYPES];

/** ClientGrant `defaultFor` value that makes a grant the default permissions of every third-party client. */
export const THIRD_PARTY_CLIENTS = "third_party_clients";
