/**
 * What AnalyzeStack sees for a resource being created at preview: the provider's planned state.
 * Engine: pulumi/pulumi pkg/resource/deploy/step.go `CreateStep.Apply` (provider Create with Preview = DryRun; its
 * properties become the outputs AnalyzeStack sends, step_generator.go). Bridge v3.133.0 pkg/tfbridge/provider.go
 * `Provider.Create` with `preview`: `diff.ProposedState` → `MakeTerraformResult` (unknown for unset Computed
 * attributes, nested blocks too; null for other unset attributes; `id` unknown; see the bridge's own
 * provider_test.go "Create preview" replay, whose response carries "id": "04da6b54-…" and every schema property).
 */
import { describe, expect, it } from "vitest";
import { AUTH0_RULES } from "../../src/check/provider/auth0-rules";
import { providerCheck } from "../../src/check/provider/check";
import { plannedOutputs } from "../../src/check/provider/planned-outputs";
import { UNKNOWN } from "../../src/check/provider/wire";
import { runProgram } from "../../src/check/program-runner";
import { ProviderEmulator } from "../../src/check/provider/emulator";
import { parsePriorState } from "../../src/check/provider/prior-state";
import { SECRET_SIG as SECRET, SIG_KEY as SIG, secretValue } from "../../src/check/secrets";
import { formatText } from "../../src/check/reporters/text";
import type { CheckResult, RecordedResource } from "../../src/check/types";
import { REPO, cli, program } from "./helpers";
import { schemaOf } from "../helpers/provider-schemas";
import { defined } from "../helpers/defined";

const schema = schemaOf;
const TENANT = "auth0:index/tenant:Tenant";
const RS = "auth0:index/resourceServer:ResourceServer";

function planned(type: string, inputs: Record<string, unknown>, name = "r") {
    const checked = providerCheck(
        { urn: `urn:pulumi:dev::p::${type}::${name}`, type, name, inputs },
        schema(type),
        AUTH0_RULES,
    );
    expect(checked.failures).toEqual([]);
    return plannedOutputs(checked.inputs, schema(type));
}

describe("planned outputs of a create at preview", () => {
    it("unset computed properties are unknown, unset optional ones null, the id unknown", () => {
        const out = planned(TENANT, { friendlyName: "MCP" });
        expect(out["friendlyName"]).toBe("MCP");
        expect(out["defaultAudience"]).toBe(UNKNOWN);
        expect(out["dynamicClientRegistrationSecurityMode"]).toBe(UNKNOWN);
        expect(out["flags"]).toBe(UNKNOWN);
        expect(out["defaultRedirectionUri"]).toBeNull();
        expect(out["id"]).toBe(UNKNOWN);
    });

    it("in a nested block the program sets, the members it leaves out that are computed are unknown", () => {
        const out = planned(TENANT, { flags: { enableDynamicClientRegistration: false, enableSso: "true" } });
        const flags = out["flags"] as Record<string, unknown>;
        expect(flags["enableDynamicClientRegistration"]).toBe(false);
        expect(flags["enableSso"]).toBe(true);
        expect(flags["enableClientConnections"]).toBe(UNKNOWN);
        expect(flags["useScopeDescriptionsForConsent"]).toBe(UNKNOWN);
        // planned state carries no bridge bookkeeping
        expect(flags).not.toHaveProperty("__defaults");
    });

    it("tokenEncryption is an unknown object when unset; a set block gets unknown computed members and null optional ones", () => {
        expect(planned(RS, { identifier: "https://x" })["tokenEncryption"]).toBe(UNKNOWN);
        const te = planned(RS, {
            identifier: "https://x",
            tokenEncryption: { format: "compact-nested-jwe", encryptionKey: { algorithm: "RSA-OAEP-256", pem: "k" } },
        })["tokenEncryption"] as Record<string, unknown>;
        expect(te).toEqual({
            disable: null,
            format: "compact-nested-jwe",
            encryptionKey: { algorithm: "RSA-OAEP-256", pem: "k", kid: UNKNOWN, name: UNKNOWN },
        });
    });

    it('an empty string for a bool stays "" in the checked inputs (ParseBool refuses it) and plans as false', () => {
        const checked = providerCheck(
            { urn: "urn:pulumi:dev::p::t::t", type: TENANT, name: "t", inputs: { flags: { enableSso: "" } } },
            schema(TENANT),
            AUTH0_RULES,
        );
        expect(checked.failures).toEqual([]);
        expect((checked.inputs["flags"] as Record<string, unknown>)["enableSso"]).toBe("");
        expect((plannedOutputs(checked.inputs, schema(TENANT))["flags"] as Record<string, unknown>)["enableSso"]).toBe(
            false,
        );
    });

    it("keeps secrets and checked values (auto-name, coerced scalars)", () => {
        const out = planned(
            RS,
            { identifier: "https://x", signingSecret: secretValue("s3cret-value"), tokenLifetime: "3600" },
            "api",
        );
        expect(out["signingSecret"]).toEqual(secretValue("s3cret-value"));
        expect(out["tokenLifetime"]).toBe(3600);
        expect(out["name"]).toMatch(/^api-[0-9a-f]{7}$/);
        expect(out["tokenDialect"]).toBe(UNKNOWN);
    });
});

describe("end to end: runProgram records checked inputs and planned outputs", () => {
    let resources: RecordedResource[] = [];
    const byName = (n: string) =>
        defined(
            resources.find((r) => r.name === n),
            `the recorded resource ${n}`,
        );

    it("runs the fixture", { timeout: 180_000 }, async () => {
        const dir = program("provider-planned");
        resources = (
            await runProgram({
                programDir: dir,
                main: dir,
                project: "provider-planned",
                stack: "dev",
                organization: "organization",
                config: [{ key: "auth0:domain", value: "example.eu.auth0.com", secret: false }],
            })
        ).resources;
        expect(resources.map((r) => r.name).sort()).toEqual([
            "app",
            "grant",
            "mcp-api",
            "provider-planned-dev",
            "tenant",
        ]);
    });

    it("Tenant: coerced inputs for Analyze, planned outputs with unknowns for AnalyzeStack", () => {
        const t = byName("tenant");
        expect(t.plannedOutputs).toBe("derived");
        expect(t.inputs).toEqual({
            friendlyName: "MCP",
            sessionLifetime: 168,
            flags: { __defaults: [], enableSso: true, enableDynamicClientRegistration: false },
        });
        expect(t.outputs["defaultAudience"]).toBe(UNKNOWN);
        expect((t.outputs["flags"] as Record<string, unknown>)["enableClientConnections"]).toBe(UNKNOWN);
        expect(t.outputs["id"]).toBe(UNKNOWN);
    });

    it('Client: auto-name and "Managed by Pulumi" in the checked inputs', () => {
        const c = byName("app");
        expect(c.inputs["name"]).toMatch(/^app-[0-9a-f]{7}$/);
        expect(c.inputs["description"]).toBe("Managed by Pulumi");
        expect(c.outputs["grantTypes"]).toBe(UNKNOWN);
    });

    it("ClientGrant: a resource passed as an input arrives as the referenced resource's (unknown) ID", () => {
        const g = byName("grant");
        expect(g.inputs["clientId"]).toBe(UNKNOWN);
        expect(g.inputs["audience"]).toBe("https://mcp.example.com/mcp");
        expect(JSON.stringify(resources)).not.toContain("5cf8f73096256a8f31e491e813e4eb8e");
    });
});

describe("CLI: a value the provider refuses fails the check like `pulumi preview` (exit 2)", () => {
    it("names the resource, the property and the allowed values", { timeout: 180_000 }, async () => {
        const r = await cli("--dir", program("provider-invalid-enum"), "--stack", "dev");
        expect(r.code).toBe(2);
        const text = r.stdout + r.stderr;
        expect(text).toContain("auth0:index/tenant:Tenant resource 'tenant' has a problem");
        expect(text).toContain(
            `expected resource_parameter_profile to be one of ["audience" "compatibility"], got Compatibility`,
        );
        expect(text).toContain("tenant.resourceParameterProfile");
    });
});

describe("update semantics from a `pulumi stack export` file (--state)", () => {
    const URN = "urn:pulumi:dev::p::auth0:index/tenant:Tenant::tenant";
    const exported = (resources: unknown[]) => ({ version: 3, deployment: { manifest: {}, resources } });
    const tenantState = {
        urn: URN,
        custom: true,
        id: "tenant-id",
        type: TENANT,
        inputs: { __defaults: [], friendlyName: "Old" },
        outputs: {
            id: "tenant-id",
            friendlyName: "Old",
            defaultAudience: "https://old.example.com/api",
            supportEmail: { [SIG]: SECRET, plaintext: JSON.stringify("ops@example.com") },
            supportUrl: { [SIG]: SECRET, ciphertext: "v1:abc" },
            flags: { enableSso: true, enableClientConnections: true },
        },
    };

    it("reads prior outputs; a secret without plaintext stays an unknown secret; components and pending deletes are skipped", () => {
        const prior = parsePriorState(
            exported([
                tenantState,
                { urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack" },
                { ...tenantState, urn: URN + "-gone", delete: true },
            ]),
            "state.json",
            "dev",
            "p",
        );
        expect(Object.keys(prior)).toEqual([URN]);
        expect(defined(prior[URN], "the prior tenant").outputs["supportEmail"]).toEqual(secretValue("ops@example.com"));
        expect(defined(prior[URN], "the prior tenant").outputs["supportUrl"]).toEqual(secretValue(UNKNOWN));
    });

    it("refuses a state file of another stack or project, and a file that is not an export", () => {
        expect(() => parsePriorState(exported([tenantState]), "state.json", "prod", "p")).toThrow(
            /not a resource of stack 'prod' of project 'p'/,
        );
        expect(() => parsePriorState({ resources: [] }, "state.json", "dev", "p")).toThrow(
            /not a `pulumi stack export` document/,
        );
    });

    // TF proposed new state (plans/objchange ProposedNew): Optional+Computed attributes left out keep their prior value.
    it("plans an update: what the program sets, prior values for computed properties it leaves out, the prior id", () => {
        const prior = parsePriorState(exported([tenantState]), "state.json", "dev", "p");
        const e = new ProviderEmulator(REPO, prior).register({
            urn: URN,
            type: TENANT,
            name: "tenant",
            custom: true,
            inputs: { friendlyName: "New", flags: { enableSso: false } },
        });
        expect(e.ok && e.plannedOutputs).toBe("prior-state");
        const out = e.ok ? e.outputs : {};
        expect(out["friendlyName"]).toBe("New");
        expect(out["defaultAudience"]).toBe("https://old.example.com/api");
        expect(out["id"]).toBe("tenant-id");
        expect(out["flags"]).toMatchObject({
            enableSso: false,
            enableClientConnections: true,
            enableApisSection: UNKNOWN,
        });
        expect(out["defaultRedirectionUri"]).toBeNull();
    });

    it("keeps the auto-name the bridge generated before (applyDefaults reuses an old default)", () => {
        const urn = "urn:pulumi:dev::p::auth0:index/client:Client::app";
        const prior = parsePriorState(
            exported([
                {
                    urn,
                    custom: true,
                    id: "cid",
                    type: "auth0:index/client:Client",
                    inputs: { __defaults: ["description", "name"], name: "app-1234567" },
                    outputs: { name: "app-1234567" },
                },
            ]),
            "state.json",
            "dev",
            "p",
        );
        const e = new ProviderEmulator(REPO, prior).register({
            urn,
            type: "auth0:index/client:Client",
            name: "app",
            custom: true,
            inputs: {},
        });
        expect(e.ok && e.inputs["name"]).toBe("app-1234567");
    });

    it("a resource not in the state is still a create", () => {
        const e = new ProviderEmulator(REPO, {}).register({
            urn: URN,
            type: TENANT,
            name: "tenant",
            custom: true,
            inputs: {},
        });
        expect(e).toMatchObject({
            ok: true,
            plannedOutputs: "derived",
            outputs: { defaultAudience: UNKNOWN, id: UNKNOWN },
        });
    });
});

describe("CLI --state: which outputs mode the report used", () => {
    it("previews the resources of the state file as updates and says so", { timeout: 180_000 }, async () => {
        const dir = program("provider-planned");
        const r = await cli("--dir", dir, "--stack", "dev", "--state", `${dir}/state.json`, "--format", "json");
        expect(r.stderr).toBe("");
        expect(JSON.parse(r.stdout).outputsMode).toBe("planned-update");
        const text = await cli("--dir", dir, "--stack", "dev", "--state", `${dir}/state.json`);
        expect(text.stdout).toContain("Outputs: planned-update:");
    });

    it("refuses a state file of another stack: exit 2 naming the file and the fix", { timeout: 60_000 }, async () => {
        const dir = program("provider-planned");
        const r = await cli("--dir", dir, "--stack", "prod", "--state", `${dir}/state.json`);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("state.json");
        expect(r.stderr).toContain("not a resource of stack 'prod'");
        expect(r.stderr).toContain("pulumi stack export --stack prod");
    });
});

describe("text report: resources whose outputs could only be approximated are listed", () => {
    it("names each one and why", () => {
        const result: CheckResult = {
            project: "p",
            stack: "dev",
            files: { stackFile: "Pulumi.dev.yaml", program: "index.ts" },
            policyPack: { name: "pack", version: "1.0.0", dir: "policy" },
            policies: [],
            resources: [
                {
                    urn: "urn:pulumi:dev::p::auth0:index/tenant:Tenant::t",
                    type: TENANT,
                    name: "t",
                    plannedOutputs: "derived",
                },
                {
                    urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
                    type: "aws:s3/bucket:Bucket",
                    name: "b",
                    plannedOutputs: "inputs-only",
                    plannedOutputsNote: "no schema for aws:s3/bucket:Bucket",
                },
            ],
            violations: [],
            summary: { mandatory: 0, advisory: 0 },
            policyConfig: { file: null, lookedFor: null },
            waivers: [],
            remediations: [],
            outputsMode: "planned-create",
            organization: "organization",
            tags: {},
            timings: { programMs: 0, packReadyMs: 0, analyzeMs: 0, totalMs: 0 },
        } as CheckResult;
        const text = formatText(result);
        expect(text).toContain("Approximated outputs: 1 resource without a provider schema (outputs = inputs):");
        expect(text).toContain("  - urn:pulumi:dev::p::aws:s3/bucket:Bucket::b: no schema for aws:s3/bucket:Bucket");
        expect(text).not.toContain("Tenant::t:");
    });
});
