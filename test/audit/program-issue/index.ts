import * as auth0 from "@pulumi/auth0";

new auth0.ResourceServer("legacy-api", {
    identifier: "https://legacy-api.acme.example",
    signingAlg: "HS256",
    tokenDialect: "access_token",
});
new auth0.Tenant("tenant", { defaultAudience: "https://legacy-api.acme.example" });
new auth0.Connection("github", { name: "github", strategy: "github", isDomainConnection: true });
new auth0.Client("some-mcp-client", {
    name: "Some MCP Client",
    isFirstParty: false,
    appType: "regular_web",
    grantTypes: ["authorization_code", "refresh_token"],
    callbacks: ["https://mcp-client.example.net/oauth/callback"],
    refreshToken: {
        rotationType: "rotating",
        expirationType: "expiring",
        tokenLifetime: 2592000,
        infiniteTokenLifetime: false,
    },
});
