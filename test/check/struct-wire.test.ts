/**
 * The analyzer requests the check writes directly (struct-wire.ts, analyzer-requests.ts) are byte for byte what the
 * generated @pulumi/pulumi classes and google-protobuf's Struct.fromJavaScript serialize, so the pack receives exactly
 * what it received when the check built message objects.
 */
import { describe, expect, it } from "vitest";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import {
    analyzeRequestBytes,
    analyzerResourceBytes,
    analyzeStackRequestBytes,
    optionsAndProvider,
} from "../../src/check/analyzer-requests";
import { resourceOptionsMessage } from "../../src/check/analyze";
import { UNKNOWN } from "../../src/check/engine-wire";
import { loadProtos } from "../../src/check/pack-host";
import { customResource } from "../../src/check/recorded-resource";
import { secretValue } from "../../src/check/secrets";
import { structBytes } from "../../src/check/struct-wire";
import type { RecordedResource, WireProperties } from "../../src/check/types";
import { defined } from "../helpers/defined";

const { analyzer, struct } = loadProtos();

function reference(props: object): Buffer {
    return Buffer.from(struct.Struct.fromJavaScript(props as Record<string, never>).serializeBinary());
}

function hex(b: Uint8Array): string {
    return Buffer.from(b).toString("hex");
}

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
    let a = seed;
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const ODD_STRINGS = [
    "",
    "a",
    "é",
    "日本",
    "😀",
    "a\uD800b",
    "\uDC00x",
    "end\uD83D",
    "\uD83D\uDE00\uD83D",
    "x".repeat(200),
    "ü".repeat(9000),
];
const NUMBERS = [
    0,
    -0,
    1,
    -1,
    0.1,
    2 ** 53,
    -(2 ** 63),
    5e-324,
    1.7976931348623157e308,
    Infinity,
    -Infinity,
    NaN,
    1e21,
    123456.789,
];

function randomValue(next: () => number, depth: number): unknown {
    const pick = Math.floor(next() * (depth > 3 ? 5 : 8));
    switch (pick) {
        case 0:
            return ODD_STRINGS[Math.floor(next() * ODD_STRINGS.length)];
        case 1:
            return NUMBERS[Math.floor(next() * NUMBERS.length)];
        case 2:
            return next() < 0.5;
        case 3:
            return null;
        case 4:
            return String.fromCharCode(
                ...Array.from({ length: Math.floor(next() * 20) }, () => Math.floor(next() * 0xffff)),
            );
        case 5:
            return Array.from({ length: Math.floor(next() * 6) }, () => randomValue(next, depth + 1));
        default: {
            const o: Record<string, unknown> = {};
            const n = Math.floor(next() * 7);
            for (let i = 0; i < n; i++) {
                const key = [..."aZ_9é😀\uD800 "]
                    .slice(0, 1 + Math.floor(next() * 8))
                    .sort(() => next() - 0.5)
                    .join("");
                o[key] = randomValue(next, depth + 1);
            }
            return o;
        }
    }
}

describe("Struct bytes", () => {
    it("match Struct.fromJavaScript for every kind of value, key order and string encoding", () => {
        const cases: object[] = [
            {},
            { b: 1, a: 2, B: 3, _: 4, "10": 5, "9": 6, é: 7, "": 8 },
            { n: NUMBERS, s: ODD_STRINGS, nested: { deeper: { list: [[], [[]], {}, [null, true, false]] } } },
            {
                [defined(ODD_STRINGS[5], "a lone high surrogate")]: "lone high surrogate key",
                [defined(ODD_STRINGS[6], "a lone low surrogate")]: "lone low surrogate key",
            },
            { big: "x".repeat(20_000), many: Array.from({ length: 300 }, (_, i) => ({ i, s: `v${i}` })) },
            JSON.parse('{"__proto__": 1, "b": {"__proto__": {"x": 1}, "c": 2}}') as object,
            { secret: secretValue("s3cr3t"), unknown: UNKNOWN },
        ];
        for (const c of cases) expect(hex(structBytes(c))).toBe(hex(reference(c)));
    });

    it("match Struct.fromJavaScript for random values", () => {
        const next = rng(20240613);
        for (let i = 0; i < 500; i++) {
            const v = randomValue(next, 0);
            const obj = typeof v === "object" && v !== null && !Array.isArray(v) ? v : { v };
            expect(hex(structBytes(obj)), JSON.stringify(obj)).toBe(hex(reference(obj)));
        }
    });

    it("rejects what a Struct cannot hold, as google-protobuf does", () => {
        expect(() => reference({ a: undefined })).toThrow("Unexpected struct type.");
        expect(() => structBytes({ a: undefined })).toThrow("Unexpected struct type.");
        expect(() => structBytes({ a: [() => 1] })).toThrow("Unexpected struct type.");
    });
});

/** The messages as analyze.ts built them with the generated classes before it wrote bytes itself. */
function referenceProvider(p: RecordedResource): analyzerPb.AnalyzerProviderResource {
    const m = new analyzer.AnalyzerProviderResource();
    m.setType(p.type);
    m.setName(p.name);
    m.setUrn(p.urn);
    m.setProperties(struct.Struct.fromJavaScript(p.inputs as Record<string, never>));
    return m;
}

function referenceAnalyzeRequest(
    r: RecordedResource,
    props: WireProperties,
    provider: RecordedResource | undefined,
): analyzerPb.AnalyzeRequest {
    const req = new analyzer.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(struct.Struct.fromJavaScript(props as Record<string, never>));
    req.setOptions(resourceOptionsMessage(r));
    if (provider) req.setProvider(referenceProvider(provider));
    return req;
}

function referenceResource(
    r: RecordedResource,
    props: WireProperties,
    provider: RecordedResource | undefined,
): analyzerPb.AnalyzerResource {
    const m = new analyzer.AnalyzerResource();
    m.setUrn(r.urn);
    m.setType(r.type);
    m.setName(r.name);
    m.setProperties(struct.Struct.fromJavaScript(props as Record<string, never>));
    m.setOptions(resourceOptionsMessage(r));
    if (provider) m.setProvider(referenceProvider(provider));
    m.setParent(r.parent);
    m.setDependenciesList(r.dependencies);
    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        if (urns.length === 0) continue;
        const pd = new analyzer.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        m.getPropertydependenciesMap().set(k, pd);
    }
    return m;
}

const PROVIDER = customResource({
    urn: "urn:pulumi:dev::p::pulumi:providers:auth0::default_3_0_0",
    type: "pulumi:providers:auth0",
    name: "default_3_0_0",
    version: "3.0.0",
    inputs: { domain: "t.eu.auth0.com", clientSecret: secretValue("x"), version: "3.0.0" },
});

const RESOURCES: RecordedResource[] = [
    customResource({
        urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
        type: "pulumi:pulumi:Stack",
        name: "p-dev",
        custom: false,
    }),
    customResource({
        urn: "urn:pulumi:dev::p::auth0:index/client:Client::a",
        type: "auth0:index/client:Client",
        name: "a",
        inputs: { name: "A", callbacks: ["https://x"] },
    }),
    customResource({
        urn: "urn:pulumi:dev::p::my:Comp$auth0:index/client:Client::é😀",
        type: "auth0:index/client:Client",
        name: "é😀",
        parent: "urn:pulumi:dev::p::my:Comp::c",
        dependencies: ["urn:pulumi:dev::p::auth0:index/client:Client::a", ""],
        propertyDependencies: { z: ["u1", "u2"], a: ["u3"], empty: [] },
        options: {
            protect: true,
            ignoreChanges: ["name", ""],
            deleteBeforeReplace: false,
            additionalSecretOutputs: ["clientSecret"],
            aliases: ["urn:old"],
            customTimeouts: { create: 1.5, update: 0, delete: -0 },
        },
        inputs: { name: "B", jwtConfiguration: { alg: "RS256", lifetimeInSeconds: 36000 }, grantTypes: [] },
        outputs: { name: "B", clientSecret: UNKNOWN, id: UNKNOWN },
    }),
    customResource({
        urn: "",
        type: "",
        name: "",
        options: { ...customResource({ urn: "", type: "", name: "" }).options, deleteBeforeReplace: true },
    }),
];

describe("analyzer request bytes", () => {
    const providerBytes = Buffer.from(referenceProvider(PROVIDER).serializeBinary());
    const providerOf = (r: RecordedResource) => (r.custom ? PROVIDER : undefined);
    const tail = (r: RecordedResource) =>
        optionsAndProvider(resourceOptionsMessage(r), providerOf(r) ? providerBytes : undefined);

    it("AnalyzeRequest (and Remediate's request) matches the generated class", () => {
        for (const r of [...RESOURCES, PROVIDER]) {
            const expected = referenceAnalyzeRequest(r, r.inputs, providerOf(r)).serializeBinary();
            expect(hex(analyzeRequestBytes(r, r.inputs, tail(r))), r.urn).toBe(hex(expected));
        }
    });

    it("AnalyzeStackRequest matches the generated class, resources in order", () => {
        const expected = new analyzer.AnalyzeStackRequest();
        expected.setResourcesList(RESOURCES.map((r) => referenceResource(r, r.outputs, providerOf(r))));
        const got = analyzeStackRequestBytes(RESOURCES.map((r) => analyzerResourceBytes(r, r.outputs, tail(r))));
        expect(hex(got)).toBe(hex(expected.serializeBinary()));
        expect(hex(analyzeStackRequestBytes([]))).toBe(hex(new analyzer.AnalyzeStackRequest().serializeBinary()));
    });
});
