/**
 * Raw-resource stacks, safe and unsafe, judged the way a real `pulumi preview --policy-pack policy` judges them:
 * each resource goes through the provider's Check and planned-output emulation (src/check/provider/emulator.ts),
 * then the real pack, launched as the CLI launches it (`run-policy-pack`), gets Analyze (checked inputs) and
 * AnalyzeStack (planned outputs) over gRPC. One pack process serves every case.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStack } from "../../src/check/analyze";
import { startPack, type PackIdentity, type RunningPack } from "../../src/check/pack-host";
import { parsePolicyConfig, type PolicyConfigValue } from "../../src/check/policy-config";
import { ProviderEmulator } from "../../src/check/provider/emulator";
import type { RecordedResource, Violation } from "../../src/check/types";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { apiScopes, clientCimd, connection, resourceServer, tenant, thirdPartyGrant } from "./fixtures";
import { PACK_DIR, type FakeResource } from "./helpers";
import { customResource } from "../../src/check/recorded-resource";

const REPO = path.resolve(__dirname, "../..");
const who: PackIdentity = { project: "red-team", stack: "dev", organization: "organization", config: [], tags: {} };
const emulator = new ProviderEmulator(REPO);
const DEV_CONFIG_FILE = path.join(PACK_DIR, "config", "dev.json");
const devConfig = JSON.parse(fs.readFileSync(DEV_CONFIG_FILE, "utf8")) as Record<string, unknown>;

const urnOf = (fake: FakeResource) => `urn:pulumi:dev::red-team::${fake.type}::${fake.name}`;

function provider(name: string, domain: string): RecordedResource {
    const urn = `urn:pulumi:dev::red-team::pulumi:providers:auth0::${name}`;
    return customResource({
        urn,
        type: "pulumi:providers:auth0",
        name,
        version: "3.49.0",
        inputs: { domain, version: "3.49.0" },
    });
}

/** A fake resource as the engine would record it at the preview of a create; throws the provider's Check failure. */
function record(fake: FakeResource): RecordedResource {
    const urn = urnOf(fake);
    // What the SDK sends: a property set to undefined is not sent at all.
    const inputs = JSON.parse(JSON.stringify(fake.props)) as Record<string, unknown>;
    const emulated = emulator.register({ urn, type: fake.type, name: fake.name, custom: true, inputs });
    if (!emulated.ok) throw new Error(emulated.message);
    return customResource({
        urn,
        type: fake.type,
        name: fake.name,
        propertyDependencies: fake.propertyDependencies ?? {},
        provider: fake.provider ? `${fake.provider}::04da6b54-80e4-46f7-96ec-b56ff0331ba9` : "",
        version: "3.49.0",
        inputs: emulated.inputs,
        outputs: emulated.outputs,
    });
}

let pack: RunningPack;
beforeAll(async () => {
    pack = await startPack(PACK_DIR, who);
});
afterAll(() => pack?.close());

async function judge(resources: RecordedResource[], config: Record<string, unknown> = devConfig): Promise<Violation[]> {
    const parsed: Record<string, PolicyConfigValue> = parsePolicyConfig(config, DEV_CONFIG_FILE);
    const { violations } = await analyzeStack(
        pack,
        who,
        resources,
        parsed,
        DEV_CONFIG_FILE,
        path.join(REPO, "Pulumi.dev.yaml"),
    );
    // Under planned outputs no rule may degrade to "can't run … during preview".
    for (const v of violations) expect(v.unknownValue, `${v.policy}: ${v.message}`).toBe(false);
    return violations;
}

const blocking = (violations: Violation[]) =>
    [...new Set(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy))].sort();
const safeStack = () => [tenant(), resourceServer(), apiScopes(), thirdPartyGrant()].map(record);

describe("red team through the real launcher, under planned-output semantics", () => {
    it("lets a safe raw stack through with no violation and no can't-run", async () => {
        expect(await judge(safeStack())).toEqual([]);
    });

    it("lets a safe stack with two tenants (explicit providers) through", async () => {
        const us = provider("us", "example-us.us.auth0.com");
        const eu = provider("eu", "example-eu.eu.auth0.com");
        const inTenant = (fake: FakeResource, p: RecordedResource, suffix: string) => ({
            ...fake,
            name: `${fake.name}-${suffix}`,
            provider: p.urn,
        });
        const stack = [us, eu];
        for (const [p, suffix] of [
            [us, "us"],
            [eu, "eu"],
        ] as const) {
            stack.push(
                ...[tenant(), resourceServer(), apiScopes(), thirdPartyGrant()].map((f) =>
                    record(inTenant(f, p, suffix)),
                ),
            );
        }
        expect(await judge(stack)).toEqual([]);
    });

    it("blocks an HS256 default audience", async () => {
        const stack = [
            tenant({ defaultAudience: "https://mcp.dev.example.com/mcp" }),
            resourceServer({ signingAlg: "HS256" }),
            apiScopes(),
        ];
        const violations = await judge(stack.map(record));
        expect(blocking(violations)).toEqual(["default-audience-requires-validation", "mcp-api-token-settings"]);
        expect(violations.find((v) => v.policy === "default-audience-requires-validation")?.message).toContain(
            `signingAlg "HS256" is not an allowed asymmetric algorithm`,
        );
    });

    it("blocks a default audience taken from another resource with the rule's own mandatory message", async () => {
        const api = resourceServer();
        const t = tenant({ defaultAudience: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
        t.propertyDependencies = { defaultAudience: [urnOf(api)] };
        const violations = await judge([t, api, apiScopes()].map(record));
        expect(blocking(violations)).toEqual(["default-audience-requires-validation"]);
    });

    it("blocks DCR switched on with a string, with no default grant", async () => {
        const t = tenant({ flags: { enableDynamicClientRegistration: "true", enableClientConnections: false } });
        const violations = await judge([t, resourceServer(), apiScopes()].map(record));
        expect(blocking(violations)).toEqual(["dynamic-client-registration-guardrails"]);
    });

    it("blocks a default grant to the Management API or with allowAllScopes", async () => {
        const mgmt = await judge(
            [tenant(), thirdPartyGrant({ audience: "https://example-dev.us.auth0.com/api/v2/" })].map(record),
        );
        expect(blocking(mgmt)).toEqual(["dynamic-client-registration-guardrails"]);
        const all = await judge(
            [tenant(), resourceServer(), apiScopes(), thirdPartyGrant({ allowAllScopes: "true" })].map(record),
        );
        expect(blocking(all)).toEqual(["dynamic-client-registration-guardrails"]);
    });

    it('blocks a zero token lifetime, and accepts "3600" once the provider\'s Check coerced it', async () => {
        expect(
            blocking(await judge([tenant(), resourceServer({ tokenLifetime: 0 }), apiScopes()].map(record))),
        ).toEqual(["mcp-api-token-settings"]);
        expect(
            await judge(
                [tenant(), resourceServer({ tokenLifetime: "3600" }), apiScopes(), thirdPartyGrant()].map(record),
            ),
        ).toEqual([]);
    });

    it("blocks a tenant that leaves resourceParameterProfile to Auth0", async () => {
        const violations = await judge(
            [tenant({ resourceParameterProfile: undefined }), resourceServer(), apiScopes()].map(record),
        );
        expect(blocking(violations)).toEqual(["resource-parameter-compatibility", "tenant-security-settings-explicit"]);
    });

    it("blocks an unapproved identity provider promoted with a string flag", async () => {
        const violations = await judge(
            [tenant(), connection({ name: "github", strategy: "github", isDomainConnection: "true" }, "github")].map(
                record,
            ),
        );
        expect(blocking(violations)).toEqual(["approved-identity-providers"]);
        expect(violations[0]?.message).toContain(`strategy "github"`);
    });

    it("lets an ordinary API through once mcpApiIdentifiers names the MCP APIs", async () => {
        const billing = resourceServer({ identifier: "https://billing.example.com", signingAlg: "HS256" }, "billing");
        const stack = [...safeStack(), record(billing)];
        expect(blocking(await judge(stack))).toEqual(["mcp-api-token-settings"]);
        const config = {
            ...devConfig,
            "mcp-api-token-settings": {
                ...(devConfig["mcp-api-token-settings"] as object),
                mcpApiIdentifiers: ["https://mcp.dev.example.com/*"],
            },
        };
        expect(await judge(stack, config)).toEqual([]);
    });

    it("blocks a default-audience API that every application can get user tokens for", async () => {
        const api = resourceServer({
            subjectTypeAuthorization: { user: { policy: "allow_all" }, client: { policy: "deny_all" } },
        });
        const violations = await judge(
            [tenant({ defaultAudience: "https://mcp.dev.example.com/mcp" }), api, apiScopes()].map(record),
        );
        expect(blocking(violations)).toEqual(["default-audience-requires-validation"]);
    });

    it("blocks an oidc connection approved only by strategy, and lets the pinned one through", async () => {
        const corp = connection(
            { name: "corp-oidc", strategy: "oidc", options: { issuer: "https://login.attacker.test/" } },
            "corp-oidc",
        );
        const config = { ...devConfig, "approved-identity-providers": { approvedStrategies: ["oidc"] } };
        expect(blocking(await judge([tenant(), corp].map(record), config))).toEqual(["approved-identity-providers"]);
        const pinned = {
            ...devConfig,
            "approved-identity-providers": {
                approvedConnections: [{ name: "corp-oidc", strategy: "oidc", issuer: "https://login.attacker.test/" }],
            },
        };
        expect(await judge([tenant(), corp].map(record), pinned)).toEqual([]);
    });

    it("blocks a CIMD client whose metadata URL hides its host, and lets an allowlisted one through", async () => {
        const sneaky = clientCimd({ externalClientId: "https://app.example.com@evil.test/oauth/client-metadata.json" });
        expect(blocking(await judge([tenant(), sneaky].map(record)))).toEqual(["cimd-client-governance"]);
        expect(await judge([tenant(), clientCimd()].map(record))).toEqual([]);
    });

    it("blocks a client that can use the implicit grant", async () => {
        const client = {
            type: AUTH0_TYPES.client,
            name: "spa",
            props: { name: "SPA", grantTypes: ["implicit", "authorization_code"] },
        };
        expect(blocking(await judge([tenant(), client].map(record)))).toEqual(["client-grant-types"]);
    });

    it("says (advisory) that an APIs-only stack does not manage its tenant, unless config names the stack that does", async () => {
        const violations = await judge([resourceServer(), apiScopes(), thirdPartyGrant()].map(record));
        expect(violations.map((v) => [v.policy, v.enforcementLevel])).toEqual([["mcp-api-tenant-managed", "advisory"]]);
        const split = { ...devConfig, "mcp-api-tenant-managed": { tenantManagedIn: "acme/auth0-tenant/dev" } };
        expect(await judge([resourceServer(), apiScopes(), thirdPartyGrant()].map(record), split)).toEqual([]);
    });

    it("supports a tenant-only stack with DCR on when config names the stack of its default grants", async () => {
        const t = tenant({ flags: { enableDynamicClientRegistration: true, enableClientConnections: false } });
        const blocked = await judge([record(t)]);
        expect(blocking(blocked)).toEqual(["dynamic-client-registration-guardrails"]);
        const split = {
            ...devConfig,
            "dynamic-client-registration-guardrails": { defaultGrantsManagedIn: "acme/mcp-apis/dev" },
        };
        expect(blocking(await judge([record(t)], split))).toEqual([]);
    });

    it("refuses what the provider's Check refuses (case-sensitive enum): a real preview fails before any policy", () => {
        expect(() => record(tenant({ resourceParameterProfile: "Compatibility" }))).toThrow(
            /resource_parameter_profile|resourceParameterProfile/,
        );
        expect(() =>
            record({
                type: AUTH0_TYPES.clientGrant,
                name: "g",
                props: { audience: "x", defaultFor: "THIRD_PARTY_CLIENTS", subjectType: "user", scopes: ["a"] },
            }),
        ).toThrow(/default_for|defaultFor/);
    });
});
