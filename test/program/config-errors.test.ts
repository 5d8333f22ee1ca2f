import { describe, expect, it } from "vitest";
import { StackConfigError, loadStackConfig } from "../../src/program/config/load";
import { buildStack } from "../../src/program/stack";
import { RuntimeConfig, configAt, configListAt, editedStackConfig, stackRuntimeConfig } from "../helpers/stack-config";
import { runUnderMocks } from "../helpers/mocks";

const source = (config: RuntimeConfig) => ({ get: (k: string) => config[k], keys: () => Object.keys(config) });

function problemsOf(config: RuntimeConfig): { path: string; message: string }[] {
    try {
        loadStackConfig(source(config));
    } catch (e) {
        expect(e).toBeInstanceOf(StackConfigError);
        return [...(e as StackConfigError).problems];
    }
    throw new Error("expected the config to be refused");
}

/** Runs the program under mocks and asserts it failed before registering anything. */
async function refusedProgram(config: RuntimeConfig): Promise<StackConfigError> {
    const run = await runUnderMocks(config, () => buildStack());
    expect(run.error).toBeInstanceOf(StackConfigError);
    expect(run.resources).toHaveLength(0);
    expect(run.registrations).toHaveLength(0);
    return run.error as StackConfigError;
}

describe("valid stack config", () => {
    it.each(["dev", "prod"])("%s loads without problems", (stack) => {
        expect(() => loadStackConfig(source(stackRuntimeConfig(stack)))).not.toThrow();
    });

    it("takes an unquoted YAML date as the CLI delivers it (Go's time text, yaml.v3) as that calendar date", () => {
        const config = editedStackConfig(
            "dev",
            (c) => (configAt(c, "auth0-mcp:tenant", "cimdClients", 0).reviewBy = "2027-06-30 00:00:00 +0000 UTC"),
        );
        expect(loadStackConfig(source(config)).tenant.cimdClients?.[0]?.reviewBy).toBe("2027-06-30");
        const late = editedStackConfig(
            "dev",
            (c) => (configAt(c, "auth0-mcp:tenant", "cimdClients", 0).reviewBy = "2027-06-30 12:00:00 +0000 UTC"),
        );
        expect(problemsOf(late).map((p) => p.path)).toEqual(["auth0-mcp:tenant.cimdClients[0].reviewBy"]);
    });

    it("applies defaults when the tenant key is absent", () => {
        const config = editedStackConfig("dev", (c) => delete c["auth0-mcp:tenant"]);
        const loaded = loadStackConfig(source(config));
        expect(loaded.tenant.promotedConnections).toEqual([]);
        expect(loaded.tenant.cimdClients).toEqual([]);
        expect(loaded.apis[0].thirdPartyClientsAllowed).toBe(true);
        expect(loaded.allowLocalhost).toBe(false);
    });

    it("passes allowLocalhost to every API", () => {
        const config = editedStackConfig("dev", (c) => {
            c["auth0-mcp:allowLocalhost"] = "true";
            configAt(c, "auth0-mcp:apis", 0).identifier = "http://localhost:8080/mcp";
        });
        expect(loadStackConfig(source(config)).apis[0]).toMatchObject({
            identifier: "http://localhost:8080/mcp",
            allowLocalhostHttp: true,
        });
    });

    it("makes an API without third-party grant when DCR and CIMD are off", () => {
        const config = editedStackConfig("dev", (c) => {
            configAt(c, "auth0-mcp:tenant").clientIdMetadataDocumentSupported = false;
            delete configAt(c, "auth0-mcp:tenant").cimdClients;
        });
        expect(loadStackConfig(source(config)).apis[0].thirdPartyClientsAllowed).toBe(false);
    });
});

describe("every config error names its key and shows the expected form", () => {
    it.each<[string, (c: Record<string, unknown>) => void, string, RegExp]>([
        [
            "missing domain",
            (c) => delete c["auth0:domain"],
            "auth0:domain",
            /is not set; run `pulumi config set auth0:domain/,
        ],
        [
            "domain with scheme",
            (c) => (c["auth0:domain"] = "https://example-dev.us.auth0.com/"),
            "auth0:domain",
            /write "example-dev\.us\.auth0\.com"/,
        ],
        [
            "missing apis",
            (c) => delete c["auth0-mcp:apis"],
            "auth0-mcp:apis",
            /is not set; declare at least one MCP API/,
        ],
        [
            "empty apis",
            (c) => (c["auth0-mcp:apis"] = []),
            "auth0-mcp:apis",
            /is empty; expected a list of at least one MCP API/,
        ],
        [
            "apis as plain string",
            (c) => (c["auth0-mcp:apis"] = "https://mcp.example.com"),
            "auth0-mcp:apis",
            /write it as structured YAML/,
        ],
        [
            "missing identifier",
            (c) => delete configAt(c, "auth0-mcp:apis", 0).identifier,
            "auth0-mcp:apis[0].identifier",
            /is required; expected the MCP server's canonical https URI/,
        ],
        [
            "non-canonical identifier",
            (c) => (configAt(c, "auth0-mcp:apis", 0).identifier = "https://MCP.dev.example.com/mcp/"),
            "auth0-mcp:apis[0].identifier",
            /use "https:\/\/mcp\.dev\.example\.com\/mcp"/,
        ],
        [
            "localhost without opt-in",
            (c) => (configAt(c, "auth0-mcp:apis", 0).identifier = "http://localhost:3000/mcp"),
            "auth0-mcp:apis[0].identifier",
            /local development/,
        ],
        [
            "HS256",
            (c) => (configAt(c, "auth0-mcp:apis", 0).signingAlg = "HS256"),
            "auth0-mcp:apis[0].signingAlg",
            /HS256 is refused.*RS256/,
        ],
        [
            "camelCase dialect",
            (c) => (configAt(c, "auth0-mcp:apis", 0).tokenDialect = "rfc9068ProfileAuthz"),
            "auth0-mcp:apis[0].tokenDialect",
            /"rfc9068_profile_authz"/,
        ],
        [
            "lifetime as string",
            (c) => (configAt(c, "auth0-mcp:apis", 0).tokenLifetimeSeconds = "1h"),
            "auth0-mcp:apis[0].tokenLifetimeSeconds",
            /got string "1h"; expected a whole number of seconds/,
        ],
        [
            "lifetime too long",
            (c) => (configAt(c, "auth0-mcp:apis", 0).tokenLifetimeSeconds = 604800),
            "auth0-mcp:apis[0].tokenLifetimeSeconds",
            /60 to 86400/,
        ],
        [
            "misspelt api key",
            (c) => (configAt(c, "auth0-mcp:apis", 0).scope = []),
            "auth0-mcp:apis[0].scope",
            /is not a known key.*allowed keys here: identifier, displayName, scopes/,
        ],
        [
            "scope without description",
            (c) => delete configAt(c, "auth0-mcp:apis", 0, "scopes", 1).description,
            "auth0-mcp:apis[0].scopes[1].description",
            /is required; expected a sentence shown on the consent screen/,
        ],
        [
            "scope name with space",
            (c) => (configAt(c, "auth0-mcp:apis", 0, "scopes", 0).name = "tools read"),
            "auth0-mcp:apis[0].scopes[0].name",
            /not a valid scope name/,
        ],
        [
            "undeclared third-party scope",
            (c) => (configAt(c, "auth0-mcp:apis", 0).thirdPartyScopes = ["tools:write"]),
            "auth0-mcp:apis[0].thirdPartyScopes[0]",
            /not a declared scope; declared: tools:read, tools:call/,
        ],
        [
            "default audience naming no API",
            (c) => (configAt(c, "auth0-mcp:tenant").defaultAudience = "https://mcp.example.com/other"),
            "auth0-mcp:tenant.defaultAudience",
            /names no MCP API declared in this program \(declared: "https:\/\/mcp\.dev\.example\.com\/mcp"\)/,
        ],
        [
            "unknown profile",
            (c) => (configAt(c, "auth0-mcp:tenant").resourceParameterProfile = "resource"),
            "auth0-mcp:tenant.resourceParameterProfile",
            /use "compatibility" or "audience"/,
        ],
        [
            "DCR as string",
            (c) => (configAt(c, "auth0-mcp:tenant").enableDynamicClientRegistration = "yes"),
            "auth0-mcp:tenant.enableDynamicClientRegistration",
            /got string "yes"; expected true or false/,
        ],
        [
            "connection without owner",
            (c) => delete configAt(c, "auth0-mcp:tenant", "promotedConnections", 0).owner,
            "auth0-mcp:tenant.promotedConnections[0].owner",
            /is required; expected the owning team/,
        ],
        [
            "connection with bad import id",
            (c) => (configAt(c, "auth0-mcp:tenant", "promotedConnections", 0).importId = "google"),
            "auth0-mcp:tenant.promotedConnections[0].importId",
            /expected con_/,
        ],
        [
            "secret in plain connection options",
            (c) => (configAt(c, "auth0-mcp:tenant", "promotedConnections", 0).options = { clientSecret: "s3cr3t" }),
            "auth0-mcp:tenant.promotedConnections[0].options.clientSecret",
            /pulumi config set --secret --path 'auth0-mcp:connectionSecrets\.google-oauth2'/,
        ],
        [
            "CIMD client with past-style bad date",
            (c) => (configAt(c, "auth0-mcp:tenant", "cimdClients", 0).reviewBy = "31/12/2027"),
            "auth0-mcp:tenant.cimdClients[0].reviewBy",
            /expected YYYY-MM-DD/,
        ],
        [
            "CIMD client over http",
            (c) => (configAt(c, "auth0-mcp:tenant", "cimdClients", 0).metadataUrl = "http://app.example.com/c.json"),
            "auth0-mcp:tenant.cimdClients[0].metadataUrl",
            /must use https/,
        ],
        [
            "CIMD clients while CIMD off",
            (c) => (configAt(c, "auth0-mcp:tenant").clientIdMetadataDocumentSupported = false),
            "auth0-mcp:tenant.cimdClients",
            /clientIdMetadataDocumentSupported is false/,
        ],
        [
            "misspelt top-level key",
            (c) => (c["auth0-mcp:api"] = "[]"),
            "auth0-mcp:api",
            /is not a known key.*auth0-mcp:apis/,
        ],
        [
            "allowLocalhost not boolean",
            (c) => (c["auth0-mcp:allowLocalhost"] = "yes"),
            "auth0-mcp:allowLocalhost",
            /expected true or false/,
        ],
        [
            "secret for an unknown connection",
            (c) => (c["auth0-mcp:connectionSecrets"] = { github: "x" }),
            "auth0-mcp:connectionSecrets.github",
            /names no connection in auth0-mcp:tenant\.promotedConnections \(listed: google-oauth2\)/,
        ],
    ])("%s → %s", (_label, edit, path, message) => {
        const problems = problemsOf(editedStackConfig("dev", edit));
        expect(problems).toEqual([{ path, message: expect.stringMatching(message) }]);
    });

    it("a second API with the same identifier points at the first", () => {
        const problems = problemsOf(
            editedStackConfig("dev", (c) =>
                configListAt(c, "auth0-mcp:apis").push(structuredClone(configAt(c, "auth0-mcp:apis", 0))),
            ),
        );
        expect(problems).toEqual([
            {
                path: "auth0-mcp:apis[1].identifier",
                message: expect.stringContaining("already declared at auth0-mcp:apis[0]"),
            },
        ]);
    });

    it("the audience profile leaving an API unreachable is refused against the tenant key", () => {
        const problems = problemsOf(
            editedStackConfig("dev", (c) => (configAt(c, "auth0-mcp:tenant").resourceParameterProfile = "audience")),
        );
        expect(problems).toEqual([
            {
                path: "auth0-mcp:tenant.resourceParameterProfile",
                message: expect.stringContaining("or set defaultAudience"),
            },
        ]);
    });
});

describe("one error lists every problem, and nothing is registered", () => {
    it("reports problems in several keys at once, each with its path", async () => {
        const config = editedStackConfig("dev", (c) => {
            c["auth0:domain"] = "Example-Dev.us.auth0.com";
            configAt(c, "auth0-mcp:apis", 0).signingAlg = "HS256";
            configAt(c, "auth0-mcp:apis", 0).identifier = "https://mcp.dev.example.com/mcp/";
            configAt(c, "auth0-mcp:tenant").defaultAudience = "https://nowhere.example.com";
            configAt(c, "auth0-mcp:tenant", "promotedConnections", 0).approvalRef = "";
        });
        const error = await refusedProgram(config);
        expect(error.problems.map((p) => p.path)).toEqual([
            "auth0:domain",
            "auth0-mcp:apis[0].identifier",
            "auth0-mcp:apis[0].signingAlg",
            "auth0-mcp:tenant.defaultAudience",
            "auth0-mcp:tenant.promotedConnections[0].approvalRef",
        ]);
        expect(error.message).toMatch(/^Stack config is invalid \(5 problems\); nothing was deployed\./);
        for (const path of error.problems.map((p) => p.path)) expect(error.message).toContain(`  - ${path}: `);
    });

    it.each<[string, (c: Record<string, unknown>) => void]>([
        ["HS256", (c) => (configAt(c, "auth0-mcp:apis", 0).signingAlg = "HS256")],
        [
            "non-canonical identifier",
            (c) => (configAt(c, "auth0-mcp:apis", 0).identifier = "https://mcp.dev.example.com/mcp#x"),
        ],
        [
            "default audience naming no API",
            (c) => (configAt(c, "auth0-mcp:tenant").defaultAudience = "https://mcp.example.com/other"),
        ],
        [
            "bad CIMD client (its error would come last, after the APIs)",
            (c) => (configAt(c, "auth0-mcp:tenant", "cimdClients", 0).owner = ""),
        ],
        ["missing domain", (c) => delete c["auth0:domain"]],
    ])("registers zero resources when config has: %s", async (_label, edit) => {
        await refusedProgram(editedStackConfig("dev", edit));
    });
});
