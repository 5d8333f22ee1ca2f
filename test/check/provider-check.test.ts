/**
 * The provider's Check as the offline checker emulates it, pinned to the sources it mirrors. Schemas come from the
 * @pulumi/auth0 3.49.0 this repository installs (the same way a program's own package is read).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AUTH0_RULES } from "../../src/check/provider/auth0-rules";
import {
    autoName,
    checkFailureMessage,
    formatFloat,
    providerCheck,
    type CheckTarget,
} from "../../src/check/provider/check";
import { ProviderEmulator } from "../../src/check/provider/emulator";
import { withoutResourceReferences } from "../../src/check/provider/references";
import { ProviderSchemas, SchemaUnavailable, declarationFile, type PropType } from "../../src/check/provider/schema";
import { UNKNOWN } from "../../src/check/provider/wire";
import { SECRET_SIG, SIG_KEY, secretValue } from "../../src/check/secrets";
import { REPO } from "./helpers";
import { schemaOf, schemas } from "../helpers/provider-schemas";
import { defined } from "../helpers/defined";

const schema = schemaOf;
const TENANT = "auth0:index/tenant:Tenant";
const RS = "auth0:index/resourceServer:ResourceServer";
const CLIENT = "auth0:index/client:Client";
const GRANT = "auth0:index/clientGrant:ClientGrant";

function target(type: string, name: string, inputs: Record<string, unknown>): CheckTarget {
    const short = type.split(":").pop();
    return { urn: `urn:pulumi:dev::proj::${type}::${name}`, type, name: name, inputs, ...(short ? {} : {}) };
}
function check(type: string, inputs: Record<string, unknown>, name = "r") {
    return providerCheck(target(type, name, inputs), schema(type), AUTH0_RULES);
}

describe("schema derivation from the installed @pulumi/auth0 declarations", () => {
    // A required `pulumi.Output<T>` on the class is a Required or Computed Terraform attribute (tfgen); with an
    // optional input it is computed. upstream tenant/resource.go: default_audience Optional+Computed,
    // default_redirection_uri Optional only.
    it("Tenant.defaultAudience is computed, Tenant.defaultRedirectionUri is not", () => {
        const t = schema(TENANT);
        expect(t.properties.get("defaultAudience")).toMatchObject({
            computed: true,
            input: true,
            required: false,
            type: { kind: "string" },
        });
        expect(t.properties.get("defaultRedirectionUri")).toMatchObject({ computed: false, input: true });
        expect(t.properties.get("dynamicClientRegistrationSecurityMode")?.computed).toBe(true);
    });

    it("TenantFlags members are computed (types/output.d.ts `foo: boolean` vs input.d.ts `foo?:`)", () => {
        const flags = schema(TENANT).properties.get("flags");
        expect(flags).toMatchObject({ computed: true, type: { kind: "object", name: "TenantFlags" } });
        const members = defined(schema(TENANT).objectType("TenantFlags"), "the TenantFlags type");
        expect(members.get("enableDynamicClientRegistration")).toMatchObject({
            computed: true,
            type: { kind: "boolean" },
        });
        expect(members.get("enableSso")?.computed).toBe(true);
    });

    it("ResourceServer.tokenEncryption is a computed object {format, encryptionKey, disable?}, not a boolean", () => {
        const rs = schema(RS);
        expect(rs.properties.get("tokenEncryption")).toMatchObject({
            computed: true,
            type: { kind: "object", name: "ResourceServerTokenEncryption" },
        });
        const te = defined(rs.objectType("ResourceServerTokenEncryption"), "the ResourceServerTokenEncryption type");
        expect([...te.keys()].sort()).toEqual(["disable", "encryptionKey", "format"]);
        expect(te.get("disable")?.computed).toBe(false);
        // encryption_key.algorithm and pem are Required inside the block (resourceserver/resource.go:212,223).
        const key = defined(
            rs.objectType("ResourceServerTokenEncryptionEncryptionKey"),
            "the ResourceServerTokenEncryptionEncryptionKey type",
        );
        expect(key.get("algorithm")).toMatchObject({ required: true, computed: false });
        expect(key.get("kid")).toMatchObject({ required: false, computed: true });
        expect(rs.properties.get("identifier")).toMatchObject({ required: true, computed: false });
        expect(rs.properties.get("signingAlg")?.computed).toBe(true);
    });

    it("reads arrays and maps", () => {
        const c = schema(CLIENT);
        expect(c.properties.get("callbacks")?.type).toEqual<PropType>({ kind: "array", items: { kind: "string" } });
        expect(c.properties.get("clientMetadata")?.type).toEqual<PropType>({ kind: "map", values: { kind: "string" } });
    });

    it("maps type tokens to declaration files and proves the mapping by the class's own __pulumiType", () => {
        expect(declarationFile("/p", "index/tenant", "Tenant")).toBe(path.join("/p", "tenant.d.ts"));
        expect(declarationFile("/p", "s3/bucket", "Bucket")).toBe(path.join("/p", "s3", "bucket.d.ts"));
        expect(declarationFile("/p", "index", "ClientGrant")).toBe(path.join("/p", "clientGrant.d.ts"));
        expect(schemas.resource("auth0:index/nope:Nope")).toBeInstanceOf(SchemaUnavailable);
        const none = schemas.resource("aws:s3/bucket:Bucket");
        expect(none).toBeInstanceOf(SchemaUnavailable);
        expect((none as Error).message).toContain("@pulumi/aws is not installed");
    });

    it("resolves the provider package from the program's directory", () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-auth0-"));
        try {
            expect(new ProviderSchemas(empty).resource(TENANT)).toBeInstanceOf(SchemaUnavailable);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });

    // Drift guard: every validated property in the upstream table exists in the installed package, as a string.
    it("every enum/range rule names a property the installed package declares", () => {
        const rules = [...Object.entries(AUTH0_RULES.enums), ...Object.entries(AUTH0_RULES.ranges)];
        for (const [token, list] of rules) {
            const s = schema(token);
            for (const rule of list) {
                let props = s.properties;
                let type: PropType | undefined;
                for (const raw of rule.path.split(".")) {
                    const seg = raw.replace(/\[\]$/, "");
                    type = props.get(seg)?.type;
                    expect(type, `${token} ${rule.path}: ${seg}`).toBeDefined();
                    if (raw.endsWith("[]") && type?.kind === "array") type = type.items;
                    if (type?.kind === "object") props = defined(s.objectType(type.name), `the ${type.name} type`);
                }
                expect(["string", "number"], `${token} ${rule.path}`).toContain(type?.kind);
            }
        }
    });
});

describe("Check: scalar coercion (bridge schema.go makeTerraformInput, CoerceTerraformString)", () => {
    it('"true" for a bool becomes true, "168" for a number becomes 168, nested too', () => {
        const r = check(TENANT, { sessionLifetime: "168", flags: { enableSso: "true", enableClientConnections: "0" } });
        expect(r.failures).toEqual([]);
        expect(r.inputs["sessionLifetime"]).toBe(168);
        expect(r.inputs["flags"]).toEqual({ __defaults: [], enableSso: true, enableClientConnections: false });
    });

    it("a number or bool for a string property becomes its string (strconv.FormatFloat 'f', -1)", () => {
        const r = check(TENANT, { friendlyName: 12, supportUrl: true });
        expect(r.inputs).toMatchObject({ friendlyName: "12", supportUrl: "true" });
        expect(formatFloat(1e21)).toBe("1000000000000000000000");
        expect(formatFloat(1.5)).toBe("1.5");
        expect(formatFloat(1e-7)).toBe("0.0000001");
    });

    it("drops nulls, as Check unmarshals its inputs with SkipNulls (provider.go Check)", () => {
        const r = check(TENANT, { defaultAudience: null, flags: { enableSso: null, enableApisSection: true } });
        expect(r.inputs).toEqual({ flags: { __defaults: [], enableApisSection: true } });
    });

    it("keeps secrets and unknowns", () => {
        const r = check(TENANT, { sessionLifetime: secretValue("24"), idleSessionLifetime: UNKNOWN });
        expect(r.inputs["sessionLifetime"]).toEqual({ [SIG_KEY]: SECRET_SIG, value: 24 });
        expect(r.inputs["idleSessionLifetime"]).toBe(UNKNOWN);
    });

    it("refuses what the provider cannot convert, naming the property", () => {
        const r = check(TENANT, { sessionLifetime: "1 week", flags: { enableSso: "yes" } }, "tenant");
        expect(r.failures.map((f) => f.path)).toEqual(["sessionLifetime", "flags.enableSso"]);
        expect(defined(r.failures[0], "a first failure").reason).toContain(
            'session_lifetime: strconv.ParseFloat: parsing "1 week"',
        );
        expect(defined(r.failures[1], "a second failure").reason).toContain(
            "Examine values at 'tenant.flags.enableSso'.",
        );
    });

    it("refuses a nested key the schema lacks and a missing required nested argument", () => {
        const r = check(RS, {
            identifier: "https://x",
            tokenEncryption: { format: "compact-nested-jwe", encryptionKey: { pem: "k" }, typo: 1 },
        });
        expect(r.failures.map((f) => f.path).sort()).toEqual([
            "tokenEncryption.encryptionKey.algorithm",
            "tokenEncryption.typo",
        ]);
    });
});

describe("Check: Terraform validation of enums (upstream helper/validation StringInSlice)", () => {
    it("resourceParameterProfile is case-sensitive (tenant/resource.go:485)", () => {
        const r = check(TENANT, { resourceParameterProfile: "Compatibility" }, "tenant");
        expect(r.failures).toEqual([
            {
                path: "resourceParameterProfile",
                reason: `expected resource_parameter_profile to be one of ["audience" "compatibility"], got Compatibility. Examine values at 'tenant.resourceParameterProfile'.`,
            },
        ]);
        expect(check(TENANT, { resourceParameterProfile: "compatibility" }).failures).toEqual([]);
    });

    it("defaultFor is case-sensitive (client/resource_grant.go:100)", () => {
        const r = check(GRANT, { clientId: "c", audience: "a", scopes: [], defaultFor: "THIRD_PARTY_CLIENTS" }, "dcr");
        expect(defined(r.failures[0], "a first failure").reason).toMatch(
            /^expected default_for to be one of \["third_party_clients"\], got THIRD_PARTY_CLIENTS/,
        );
    });

    it("tokenDialect and signingAlg are case-insensitive (resourceserver/resource.go:54,134)", () => {
        expect(
            check(RS, { identifier: "https://x", tokenDialect: "RFC9068_PROFILE_AUTHZ", signingAlg: "rs256" }).failures,
        ).toEqual([]);
        expect(check(RS, { identifier: "https://x", tokenDialect: "rfc9068" }).failures).toHaveLength(1);
    });

    it("validates nested blocks and list elements, with the Terraform key the validator names", () => {
        const r = check(RS, { identifier: "https://x", subjectTypeAuthorization: { user: { policy: "Deny_All" } } });
        expect(defined(r.failures[0], "a first failure").reason).toContain(
            "expected subject_type_authorization.0.user.0.policy to be one of",
        );
        const c = check("auth0:index/clientCimd:ClientCimd", {
            externalClientId: "https://x/y",
            grantTypes: ["authorization_code", "implicit"],
        });
        expect(c.failures).toHaveLength(1);
        expect(defined(c.failures[0], "a grantTypes failure").path).toBe("grantTypes[1]");
        expect(defined(c.failures[0], "a grantTypes failure").reason).toContain("expected grant_types.1 to be one of");
    });

    it("numeric bounds: Tenant session lifetimes FloatAtLeast (tenant/resource.go:111-132), aws addon IntBetween (client/resource.go:638)", () => {
        expect(check(TENANT, { sessionLifetime: "0.5", idleSessionLifetime: 0.001 }, "t").failures).toEqual([
            {
                path: "idleSessionLifetime",
                reason: "expected idle_session_lifetime to be at least (0.010000), got 0.001000. Examine values at 't.idleSessionLifetime'.",
            },
        ]);
        const c = check(CLIENT, { addons: { aws: { lifetimeInSeconds: 60 } } }, "app");
        expect(c.failures.map((f) => f.reason)).toEqual([
            "expected addons.0.aws.0.lifetime_in_seconds to be in the range (900 - 43200), got 60. Examine values at 'app.addons.aws.lifetimeInSeconds'.",
        ]);
    });

    it("never quotes a secret value in a failure", () => {
        const r = check(
            TENANT,
            { resourceParameterProfile: secretValue("Compat-S3CRET"), sessionLifetime: secretValue("x-S3CRET") },
            "t",
        );
        expect(r.failures).toHaveLength(2);
        expect(JSON.stringify(r.failures)).not.toContain("S3CRET");
        expect(r.failures.map((f) => f.reason).join("\n")).toContain("got [secret]");
    });

    it("skips values unknown at preview", () => {
        expect(check(TENANT, { resourceParameterProfile: UNKNOWN }).failures).toEqual([]);
    });

    it("words the preview error as the engine does (step_generator.go issueCheckFailures, diag GetResourceInvalidError)", () => {
        const r = check(TENANT, { resourceParameterProfile: "Compatibility" }, "tenant");
        expect(checkFailureMessage({ type: TENANT, name: "tenant" }, r.failures)).toBe(
            `auth0:index/tenant:Tenant resource 'tenant' has a problem: expected resource_parameter_profile to be one of ["audience" "compatibility"], got Compatibility. Examine values at 'tenant.resourceParameterProfile'.`,
        );
    });
});

describe("Check: defaults the bridge adds (schema.go applyDefaults; pulumi-auth0 provider/resources.go)", () => {
    it('Client gets an auto-name and description "Managed by Pulumi", listed in __defaults (stripped at top level)', () => {
        const r = check(CLIENT, { appType: "regular_web" }, "app");
        expect(r.inputs["description"]).toBe("Managed by Pulumi");
        expect(r.inputs["name"]).toMatch(/^app-[0-9a-f]{7}$/);
        expect(r.inputs["name"]).toBe(
            autoName("urn:pulumi:dev::proj::auth0:index/client:Client::app", "app", "-", 255),
        );
        expect(r.inputs).not.toHaveProperty("__defaults");
    });

    it("keeps what the program set", () => {
        const r = check(CLIENT, { name: "mine", description: "" }, "app");
        expect(r.inputs).toMatchObject({ name: "mine", description: "" });
    });

    it("ResourceServer (which has a string `name` input) is auto-named too; Tenant has no `name` input", () => {
        expect(check(RS, { identifier: "https://x" }, "api").inputs["name"]).toMatch(/^api-[0-9a-f]{7}$/);
        expect(check(TENANT, {}).inputs).not.toHaveProperty("name");
        // ClientCimd's `name` is computed only (client/resource_cimd.go:58): not an input, not auto-named.
        expect(
            check("auth0:index/clientCimd:ClientCimd", { externalClientId: "https://x/y" }).inputs,
        ).not.toHaveProperty("name");
    });

    it("non-falsy Terraform defaults inside a block the program sets (client/resource.go:1604,1610)", () => {
        const r = check(CLIENT, { sessionTransfer: { canCreateSessionTransferToken: true } }, "app");
        expect(r.inputs["sessionTransfer"]).toEqual({
            __defaults: ["enforceCascadeRevocation", "enforceOnlineRefreshTokens"],
            canCreateSessionTransferToken: true,
            enforceCascadeRevocation: true,
            enforceOnlineRefreshTokens: true,
        });
    });
});

describe("resource references (pulumi/pulumi sdk/go/common/resource/plugin/rpc.go MarshalPropertyValue without KeepResources)", () => {
    const ref = (urn: string, id?: string) => ({
        [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e",
        urn,
        ...(id === undefined ? {} : { id }),
        packageVersion: "3.49.0",
    });

    it("a custom resource becomes its ID (unknown at preview), a component its URN", () => {
        expect(
            withoutResourceReferences({
                a: ref("urn:a", ""),
                b: ref("urn:b", UNKNOWN),
                c: ref("urn:c", "id-1"),
                d: ref("urn:comp"),
            }),
        ).toEqual({
            a: UNKNOWN,
            b: UNKNOWN,
            c: "id-1",
            d: "urn:comp",
        });
    });

    it("inside arrays, objects and secrets", () => {
        expect(withoutResourceReferences({ x: [{ y: ref("urn:comp") }], s: secretValue(ref("urn:a", "")) })).toEqual({
            x: [{ y: "urn:comp" }],
            s: secretValue(UNKNOWN),
        });
    });

    it("the Check then sees the ID, as the bridged provider does", () => {
        const e = new ProviderEmulator(REPO).register({
            urn: "urn:pulumi:dev::p::auth0:index/clientGrant:ClientGrant::g",
            type: GRANT,
            name: "g",
            custom: true,
            inputs: {
                clientId: ref("urn:pulumi:dev::p::auth0:index/client:Client::app", ""),
                audience: "https://x",
                scopes: [],
            },
        });
        expect(e.ok && e.inputs["clientId"]).toBe(UNKNOWN);
    });
});

describe("ProviderEmulator", () => {
    it("types without a schema keep outputs = inputs and say so", () => {
        const e = new ProviderEmulator(REPO).register({
            urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
            type: "aws:s3/bucket:Bucket",
            name: "b",
            custom: true,
            inputs: { x: 1 },
        });
        expect(e).toMatchObject({ ok: true, plannedOutputs: "inputs-only", outputs: { x: 1 } });
        expect(e.ok && e.note).toContain("@pulumi/aws is not installed");
    });

    it("a failed Check is the registration error", () => {
        const e = new ProviderEmulator(REPO).register({
            urn: "urn:pulumi:dev::p::auth0:index/tenant:Tenant::tenant",
            type: TENANT,
            name: "tenant",
            custom: true,
            inputs: { resourceParameterProfile: "Audience" },
        });
        expect(e).toEqual({
            ok: false,
            message: expect.stringContaining(
                "auth0:index/tenant:Tenant resource 'tenant' has a problem: expected resource_parameter_profile",
            ),
        });
    });
});

describe("additionalSecretOutputs (pulumi/pulumi pkg/resource/deploy/step_executor.go: outputs made secret after the step)", () => {
    it("wraps listed planned outputs, unknown ones included, never the id", () => {
        const e = new ProviderEmulator(REPO).register({
            urn: "urn:pulumi:dev::p::auth0:index/resourceServer:ResourceServer::api",
            type: RS,
            name: "api",
            custom: true,
            inputs: { identifier: "https://x" },
            additionalSecretOutputs: ["identifier", "signingSecret", "id"],
        });
        expect(e.ok && e.outputs["identifier"]).toEqual(secretValue("https://x"));
        expect(e.ok && e.outputs["signingSecret"]).toEqual(secretValue(UNKNOWN));
        expect(e.ok && e.outputs["id"]).toBe(UNKNOWN);
        expect(e.ok && e.inputs["identifier"]).toBe("https://x");
    });
});

describe("provider resources (pulumi/pulumi pkg/resource/deploy/providers/registry.go Registry.Create: outputs = configuration)", () => {
    it("keeps their configuration as outputs, with no approximation note", () => {
        const e = new ProviderEmulator(REPO).register({
            urn: "urn:pulumi:dev::p::pulumi:providers:auth0::eu",
            type: "pulumi:providers:auth0",
            name: "eu",
            custom: true,
            inputs: { domain: "x.eu.auth0.com" },
        });
        expect(e).toEqual({
            ok: true,
            inputs: { domain: "x.eu.auth0.com" },
            outputs: { domain: "x.eu.auth0.com" },
            plannedOutputs: "derived",
        });
    });
});
