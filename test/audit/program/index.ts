import * as auth0 from "@pulumi/auth0";

new auth0.Tenant("tenant", {
    resourceParameterProfile: "compatibility",
    clientIdMetadataDocumentSupported: true,
    flags: { enableDynamicClientRegistration: true, enableClientConnections: false },
});
new auth0.ResourceServer("legacy-api", { identifier: "https://legacy-api.acme.example", signingAlg: "RS256" });
new auth0.Connection("github", { name: "github", strategy: "github", isDomainConnection: false });
