import * as pulumi from "@pulumi/pulumi";
import * as auth0 from "@pulumi/auth0";
import { McpApi, TenantMcpSettings, tenantAllowsThirdPartyClients } from "auth0-mcp";

const config = new pulumi.Config();
const domain = new pulumi.Config("auth0").require("domain");

const tenantSettings = {
    resourceParameterProfile: "compatibility" as const,
    enableDynamicClientRegistration: false,
    clientIdMetadataDocumentSupported: true,
};
const thirdPartyClientsAllowed = tenantAllowsThirdPartyClients(tenantSettings);

const tickets = new McpApi("tickets", {
    identifier: "https://mcp.acme.example/tickets",
    tenantDomain: domain,
    scopes: [
        { name: "tickets:read", description: "Read your support tickets" },
        { name: "tickets:write", description: "Open and update support tickets for you" },
    ],
    thirdPartyClientsAllowed,
});

new TenantMcpSettings("acme", {
    ...tenantSettings,
    mcpApis: [tickets],
    cimdClients: [
        {
            metadataUrl: "https://agents.acme.example/oauth/client-metadata.json",
            owner: "platform@acme.example",
            approvalRef: "SEC-42",
            reviewBy: "2027-09-30",
        },
    ],
});

// A raw resource next to the components: the policy pack judges it like any other.
new auth0.Client("support-portal", {
    name: "Support portal",
    appType: "regular_web",
    callbacks: ["https://support.acme.example/callback"],
    grantTypes: ["authorization_code", "refresh_token"],
    refreshToken: { rotationType: "rotating", expirationType: "expiring", tokenLifetime: 86_400, leeway: 0 },
});

// The `risky` stack promotes GitHub to domain level, which this team's policy config has not approved.
if (config.getBoolean("promoteGithub")) {
    new auth0.Connection("github", {
        name: "github",
        strategy: "github",
        isDomainConnection: true,
        metadata: { mcp_owner: "platform@acme.example", mcp_approval_ref: "SEC-43" },
    });
}

export const ticketsContract = tickets.validationContract;
