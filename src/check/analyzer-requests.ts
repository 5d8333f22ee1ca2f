/**
 * The bulk analyzer requests (Analyze, Remediate, AnalyzeStack) as protobuf bytes, identical to what the generated
 * @pulumi/pulumi message classes serialize (fields in generated-code order, proto3 defaults skipped): the resource's
 * head and properties are written directly (struct-wire.ts); options, provider and the dependency fields reuse the
 * generated classes, and each resource's options and provider bytes are built once for all its calls.
 * test/check/struct-wire.test.ts compares them with the generated classes' bytes.
 */
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { loadProtos } from "./pack-host";
import { field, stringField, structBytes } from "./struct-wire";
import type { RecordedResource, WireProperties } from "./types";

/** AnalyzeRequest fields 5 (options, always set) and 6 (provider, when the resource has one); also AnalyzerResource's. */
export function optionsAndProvider(options: analyzerPb.AnalyzerResourceOptions, provider: Buffer | undefined): Buffer {
    const o = field(5, Buffer.from(options.serializeBinary()));
    return provider ? Buffer.concat([o, field(6, provider)]) : o;
}

/** type (1), properties (2), urn (3), name (4): the head AnalyzeRequest and AnalyzerResource share. */
function head(r: RecordedResource, props: WireProperties): Buffer[] {
    return [stringField(1, r.type), field(2, structBytes(props)), stringField(3, r.urn), stringField(4, r.name)];
}

/** An AnalyzeRequest (also Remediate's request): `tail` is {@link optionsAndProvider}. */
export function analyzeRequestBytes(r: RecordedResource, props: WireProperties, tail: Buffer): Buffer {
    return Buffer.concat([...head(r, props), tail]);
}

/** AnalyzerResource fields 7–9: parent, dependencies and the non-empty property dependencies. */
function stackTail(r: RecordedResource): Buffer {
    const { analyzer } = loadProtos();
    const m = new analyzer.AnalyzerResource();
    m.setParent(r.parent);
    m.setDependenciesList(r.dependencies);
    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        if (urns.length === 0) continue;
        const pd = new analyzer.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        m.getPropertydependenciesMap().set(k, pd);
    }
    return Buffer.from(m.serializeBinary());
}

/** One AnalyzeStackRequest resource: its outputs as the analyzer sees them, options, provider, parent, dependencies. */
export function analyzerResourceBytes(r: RecordedResource, props: WireProperties, tail: Buffer): Buffer {
    return Buffer.concat([...head(r, props), tail, stackTail(r)]);
}

/** AnalyzeStackRequest: the resources (field 1, repeated) in order. */
export function analyzeStackRequestBytes(resources: Buffer[]): Buffer {
    return Buffer.concat(resources.map((r) => field(1, r)));
}
