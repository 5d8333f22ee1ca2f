/**
 * Issue 7 §4: what the offline check sends a policy pack is what `pulumi preview --policy-pack` sends it. Each test
 * names the engine source it mirrors (pulumi/pulumi unless said otherwise). The probe pack
 * (test/fixtures/packs/probe) reports what it received as JSON messages; one pack process serves the protocol tests.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStack, type AnalysisOutput } from "../../src/check/analyze";
import { UNKNOWN } from "../../src/check/engine-wire";
import { CheckInputError } from "../../src/check/errors";
import {
    readPolicyProject,
    shlexSplit,
    startPack,
    type PackIdentity,
    type RunningPack,
} from "../../src/check/pack-host";
import { loadProject } from "../../src/check/project";
import { barredPackages, Providers } from "../../src/check/providers";
import { secretValue, SIG_KEY } from "../../src/check/secrets";
import { readStackFile } from "../../src/check/stack-config";
import type { RecordedResource, WireProperties } from "../../src/check/types";
import { FIXTURES } from "./helpers";
import { customResource } from "../../src/check/recorded-resource";
import { defined } from "../helpers/defined";

const PROBE = path.join(FIXTURES, "packs", "probe");
const STACK_FILE = "/virtual/Pulumi.dev.yaml";
const ROOT = "urn:pulumi:dev::probe::pulumi:pulumi:Stack::probe-dev";
const PROVIDER = "urn:pulumi:dev::probe::pulumi:providers:test::p";
const A = "urn:pulumi:dev::probe::test:index:Thing::a";
const B = "urn:pulumi:dev::probe::test:index:Thing::b";
const DEFAULT_PROVIDER = "urn:pulumi:dev::probe::pulumi:providers:test::default_2_0_0";

function resource(urn: string, fields: Partial<RecordedResource>): RecordedResource {
    const [, , qualified, name] = urn.split("::");
    const type = defined(qualified, `a type in ${urn}`).split("$").pop();
    return customResource({
        urn,
        type: defined(type, `a type in ${urn}`),
        name: defined(name, `a name in ${urn}`),
        parent: ROOT,
        outputs: {},
        ...fields,
    });
}

const who: PackIdentity = {
    project: "probe",
    stack: "dev",
    organization: "acme",
    config: [
        { key: "test:region", value: "eu", secret: false },
        { key: "test:token", value: "[secret]", secret: true },
        { key: "probe:name", value: "x", secret: false },
    ],
    tags: { "pulumi:project": "probe", "pulumi:runtime": "nodejs", team: "iam" },
};

/** a: explicit provider, remediated; b: default provider, an input from a (a resource reference, ID unknown). */
const resources: RecordedResource[] = [
    resource(ROOT, { type: "pulumi:pulumi:Stack", name: "probe-dev", custom: false, parent: "" }),
    resource(PROVIDER, { version: "1.2.3", inputs: { region: "us" }, outputs: { region: "us" } }),
    resource(A, {
        provider: `${PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
        version: "1.2.3",
        inputs: { keep: "k", removeMe: 1, nested: { set: "s" }, __defaults: ["keep"] },
        outputs: { keep: "k", removeMe: 1, nested: { set: "s", computed: UNKNOWN }, id: UNKNOWN, __defaults: ["keep"] },
    }),
    resource(B, {
        version: "2.0.0",
        dependencies: [A],
        propertyDependencies: { ref: [A] },
        inputs: {
            ref: { [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: A, id: "" },
            parentRef: { [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: ROOT },
            out: { [SIG_KEY]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "v", secret: true, dependencies: [A] },
        },
        outputs: { ref: UNKNOWN, parentRef: ROOT, out: secretValue("v"), id: UNKNOWN },
    }),
];

let pack: RunningPack;
let out: AnalysisOutput;
const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "probe-config-")), "Pulumi.dev.policy.json");

beforeAll(async () => {
    fs.writeFileSync(configFile, JSON.stringify({ "probe-waived": "disabled" }));
    pack = await startPack(PROBE, who);
    out = await analyzeStack(
        pack,
        who,
        resources,
        { "probe-waived": { enforcementLevel: "disabled", properties: {} } },
        configFile,
        STACK_FILE,
    );
}, 120_000);

afterAll(() => pack?.close());

/** What the policy reported: @pulumi/policy prefixes each message with the policy's description line. */
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);
const reports = (policy: string) => out.violations.filter((v) => v.policy === policy);
const parsed = (policy: string) =>
    reports(policy)
        .filter((v) => reported(v.message).startsWith("{"))
        .map((v) => ({ urn: v.urn, level: v.enforcementLevel, ...JSON.parse(reported(v.message)) }));
/** What the policy reported about one resource. */
const parsedFor = (policy: string, urn: string) =>
    defined(
        parsed(policy).find((r) => r.urn === urn),
        `${policy}'s report of ${urn}`,
    );

describe("launch: pkg/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer → pulumi-language-nodejs main.go RunPlugin", () => {
    it("runs `node run-policy-pack <nodeargs…> <engine> <absolute pack dir>`: nodeargs go to run-policy-pack, not to node", () => {
        const [script, ...rest] = pack.argv;
        expect(script).toMatch(/@pulumi\/pulumi\/cmd\/run-policy-pack\/index\.js$/);
        expect(rest).toEqual([
            "--max-old-space-size=256",
            "--probe-flag=a b",
            expect.stringMatching(/^127\.0\.0\.1:\d+$/),
            PROBE,
        ]);
        const [p] = parsed("probe-process");
        // run-policy-pack's minimist swallows the flags; node never saw them.
        expect(p.execArgv).toEqual([]);
        expect(p.argv).toEqual([]);
        expect(p.cwd).toBe(PROBE);
    });

    it("splits nodeargs as github.com/google/shlex Split does", () => {
        expect(shlexSplit(`--a=1  'b c' "d \\" e" f\\ g #comment\nh`)).toEqual(["--a=1", "b c", 'd " e', "f g", "h"]);
        expect(() => shlexSplit(`"open`)).toThrow("EOF found when expecting closing quote");
    });

    it("checks the runtime options as main.go parseOptions does", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-opts-"));
        fs.writeFileSync(
            path.join(dir, "PulumiPolicy.yaml"),
            "runtime:\n  name: nodejs\n  options:\n    nodeargs: [--inspect]\n",
        );
        expect(() => readPolicyProject(dir)).toThrow(
            "the policy pack failed to start: nodeargs option must be a string",
        );
        fs.writeFileSync(
            path.join(dir, "PulumiPolicy.yaml"),
            "runtime:\n  name: nodejs\n  options:\n    typescript: 'yes'\n",
        );
        expect(() => readPolicyProject(dir)).toThrow("typescript option must be a boolean");
    });

    it("gives the pack RunPlugin's environment: identity and config from ConfigureStack via the policy proxy, no PULUMI_CONFIG_SECRET_KEYS", () => {
        const [p] = parsed("probe-process");
        expect(p.env).toEqual({
            PULUMI_NODEJS_ORGANIZATION: "acme",
            PULUMI_NODEJS_PROJECT: "probe",
            PULUMI_NODEJS_STACK: "dev",
            PULUMI_NODEJS_DRY_RUN: "true",
            PULUMI_NODEJS_TYPESCRIPT: "true",
            // Go's json.Marshal of the config map: keys sorted.
            PULUMI_CONFIG: '{"probe:name":"x","test:region":"eu","test:token":"[secret]"}',
        });
    });
});

describe("ConfigureStack: analyzer_plugin.go NewPolicyAnalyzer (AnalyzerStackConfigureRequest from pkg/engine/update.go analyzerOpts)", () => {
    it("sends the organization and the stack tags; the pack's stack policies see them", () => {
        const [p] = parsed("probe-process");
        expect(p.organization).toBe("acme");
        expect(p.project).toBe("probe");
        expect(p.stack).toBe("dev");
        expect(p.stackTags).toEqual({ "pulumi:project": "probe", "pulumi:runtime": "nodejs", team: "iam" });
    });
});

describe("Remediate before Analyze: pkg/resource/deploy/step_generator.go GenerateSteps (two passes)", () => {
    it("Analyze sees the remediated inputs and the report lists the remediation", () => {
        const a = parsedFor("probe-analyze", A);
        expect(a.props).toEqual({ keep: "k", nested: { set: "s" }, fixed: true });
        expect(out.remediations).toContainEqual({ policy: "probe-remediate", urn: A, changed: ["fixed", "removeMe"] });
    });

    it("AnalyzeStack sees outputs planned from the remediated inputs (removed input → unknown, provider unknowns kept)", () => {
        const a = parsedFor("probe-stack", A);
        expect(a.props).toEqual({
            keep: "k",
            removeMe: "<unknown>",
            nested: { set: "s", computed: "<unknown>" },
            id: "<unknown>",
            fixed: true,
        });
    });

    it("a remediation that cannot run at preview is a violation of the resource (advisory in the engine, mandatory offline)", () => {
        const b = defined(
            reports("probe-remediate").find((v) => v.urn === B),
            "probe-remediate's violation of B",
        );
        expect(reports("probe-remediate")).toHaveLength(1);
        expect(b.message).toContain("ref can't be known during preview");
        expect(b.unknownValue).toBe(true);
        expect(b.enforcementLevel).toBe("mandatory");
    });
});

describe("marshalling: analyzer_plugin.go Analyze/AnalyzeStack/marshalProvider, sdk/go/common/resource/plugin/rpc.go MarshalPropertyValue", () => {
    it("skips top-level internal keys, sends a resource reference as its ID (unknown) or a component's URN, an output value as its value", () => {
        const b = parsedFor("probe-analyze", B);
        expect(b.props).toEqual({ ref: "<unknown>", parentRef: ROOT, out: "v" });
        expect(parsedFor("probe-analyze", A).props).not.toHaveProperty("__defaults");
        expect(parsedFor("probe-stack", A).props).not.toHaveProperty("__defaults");
    });

    it("an explicit provider carries the registration's version (source_eval.go RegisterResource → providers.SetProviderVersion)", () => {
        const a = parsedFor("probe-analyze", A);
        expect(a.provider).toEqual({
            type: "pulumi:providers:test",
            name: "p",
            urn: PROVIDER,
            props: { region: "us", version: "1.2.3" },
        });
        const own = parsedFor("probe-analyze", PROVIDER);
        expect(own.props).toEqual({ region: "us", version: "1.2.3" });
        expect(own.provider).toBeNull();
    });

    it("a default provider is default_<version> with the package's stack config (default_providers.go newRegisterDefaultProviderEvent)", () => {
        const b = parsedFor("probe-analyze", B);
        expect(b.provider).toEqual({
            type: "pulumi:providers:test",
            name: "default_2_0_0",
            urn: DEFAULT_PROVIDER,
            props: { region: "eu", token: "[secret]", version: "2.0.0" },
        });
        expect(parsed("probe-analyze").map((r) => r.urn)).toContain(DEFAULT_PROVIDER);
    });
});

describe("URN attribution", () => {
    it("Analyze: every diagnostic belongs to the analyzed resource, whatever URN it names (analyze_snapshot.go analyzeResource)", () => {
        expect(
            reports("probe-analyze")
                .map((v) => v.urn)
                .sort(),
        ).toEqual([ROOT, A, B, DEFAULT_PROVIDER, PROVIDER].sort());
    });

    it("AnalyzeStack: the diagnostic's URN when it names a resource of the stack, else the root stack (resolveStackPolicyViolationURN)", () => {
        const stack = reports("probe-stack");
        expect(
            defined(
                stack.find((v) => reported(v.message) === "no urn"),
                'the "no urn" report',
            ).urn,
        ).toBe(ROOT);
        expect(
            defined(
                stack.find((v) => reported(v.message) === "foreign urn"),
                'the "foreign urn" report',
            ).urn,
        ).toBe(ROOT);
        expect(parsed("probe-stack").filter((r) => r.urn === A)).toHaveLength(1);
    });
});

describe("waivers (issue 7 §5)", () => {
    it("a policy the config runs below its declared level is a waiver naming the file and key, and does not report", () => {
        expect(out.waivers).toEqual([
            {
                policy: "probe-waived",
                declaredLevel: "mandatory",
                configuredLevel: "disabled",
                file: configFile,
                key: "probe-waived",
            },
        ]);
        expect(reports("probe-waived")).toEqual([]);
    });
});

describe("pulumi:disable-default-providers: default_providers.go shouldDenyRequest, step_generator.go loadResourceProvider", () => {
    const config = (value: string) => [{ key: "pulumi:disable-default-providers", value, secret: false }];

    it("fails the preview with the engine's message for a resource that would need a barred default provider", () => {
        const make = () => new Providers(resources, { ...who, config: config('["test"]') }, STACK_FILE);
        expect(make).toThrow(CheckInputError);
        expect(make).toThrow(
            `the preview would fail: Default provider for 'test' disabled. '${B}' must use an explicit provider.`,
        );
        expect(() => new Providers(resources, { ...who, config: config('["*"]') }, STACK_FILE)).toThrow(
            "Default provider for 'test' disabled.",
        );
    });

    it("lets explicit providers and other packages through; an empty value bars nothing", () => {
        const onlyExplicit = resources.filter((r) => r.urn !== B);
        expect(() => new Providers(onlyExplicit, { ...who, config: config('["test"]') }, STACK_FILE)).not.toThrow();
        expect(
            () => new Providers(resources, { ...who, config: config('["aws", " other "]') }, STACK_FILE),
        ).not.toThrow();
        expect(barredPackages(config(""), STACK_FILE)).toEqual({ all: false, names: new Set() });
    });

    it("reports a malformed list with the engine's texts", () => {
        expect(() => barredPackages(config("[1]"), STACK_FILE)).toThrow(
            "pulumi:disable-default-providers[0] must be a string",
        );
        expect(() => barredPackages(config("auth0"), STACK_FILE)).toThrow("Failed to parse auth0");
    });

    it("reads the list from a stack file as the CLI stores it (a YAML list becomes JSON text)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ddp-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: ddp\nruntime: nodejs\n");
        fs.writeFileSync(
            path.join(dir, "Pulumi.dev.yaml"),
            "config:\n  pulumi:disable-default-providers:\n    - test\n",
        );
        fs.writeFileSync(path.join(dir, "index.ts"), "");
        const { entries, file } = readStackFile(loadProject(dir), "dev");
        expect(barredPackages(entries, file).names).toEqual(new Set(["test"]));
    });
});

describe("the recorded program is read-only", () => {
    it("a remediation changes what the pack sees, not the recorded inputs", () => {
        expect(defined(resources[2], "the third recorded resource").inputs).toEqual({
            keep: "k",
            removeMe: 1,
            nested: { set: "s" },
            __defaults: ["keep"],
        } as WireProperties);
    });
});
