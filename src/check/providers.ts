/**
 * Provider resources as the engine knows them at preview: the program's explicit providers and the default
 * providers the engine registers itself, each with the inputs an analyzer is shown (`AnalyzerProviderResource`).
 */
import { CheckInputError } from "./errors";
import { secretValue } from "./secrets";
import type { ConfigEntry, RecordedResource, WireProperties } from "./types";
import { customResource } from "./recorded-resource";

const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

function isProviderType(type: string): boolean {
    return type.startsWith(PROVIDER_TYPE_PREFIX);
}

/**
 * The engine's name for a default provider (pkg/resource/deploy/providers/provider.go, ProviderRequest.DefaultName):
 * `default`, plus `_<major>_<minor>_<patch>` and `_<pre/build part>` for each prerelease and build identifier.
 */
function defaultProviderName(version: string): string {
    return version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
}

/**
 * The packages `pulumi:disable-default-providers` bars (default_providers.go, shouldDenyRequest): a JSON list of
 * package names, `*` for all; `pulumi` itself is never barred. Errors are the engine's own texts.
 */
export function barredPackages(config: ConfigEntry[], stackFile: string): { all: boolean; names: Set<string> } {
    const entry = config.find((e) => e.key === "pulumi:disable-default-providers");
    const names = new Set<string>();
    if (!entry || entry.value === "") {
        return { all: false, names };
    }
    const fail = (what: string) =>
        new CheckInputError(
            `the preview would fail: ${what}`,
            stackFile,
            'set pulumi:disable-default-providers to a list of package names, e.g. ["auth0"]',
        );
    let list: unknown;
    try {
        list = JSON.parse(entry.value);
    } catch (e) {
        throw fail(`Failed to parse ${entry.value}: ${(e as Error).message}`);
    }
    if (!Array.isArray(list)) {
        throw fail(`Failed to parse ${entry.value}: not a JSON list`);
    }
    let all = false;
    list.forEach((v, i) => {
        if (typeof v !== "string") {
            throw fail(`pulumi:disable-default-providers[${i}] must be a string`);
        }
        const barred = v.trim();
        if (barred === "*") {
            all = true;
        }
        names.add(barred);
    });
    return { all, names };
}

/** Explicit providers from the program, default providers synthesized the way the engine registers them. */
export class Providers {
    private readonly byUrn = new Map<string, RecordedResource>();
    /** Default providers in the order the engine would register them (first use). */
    readonly defaults = new Map<string, RecordedResource>();

    private readonly barred: { all: boolean; names: Set<string> };

    constructor(
        resources: RecordedResource[],
        private readonly who: { project: string; stack: string; config: ConfigEntry[] },
        private readonly stackFile: string,
    ) {
        this.barred = barredPackages(who.config, stackFile);
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
        }
        for (const r of resources) {
            this.defaultProviderOf(r);
        }
    }

    /**
     * A resource the program registered after the ones given so far (the program still running); returns the default
     * provider the engine registers for it first, when this resource is its first user.
     */
    add(r: RecordedResource): RecordedResource | undefined {
        this.byUrn.set(r.urn, r);
        const before = this.defaults.size;
        const p = this.defaultProviderOf(r);
        return p && this.defaults.size > before ? p : undefined;
    }

    private defaultProviderOf(r: RecordedResource): RecordedResource | undefined {
        if (!r.custom || r.provider || isProviderType(r.type)) {
            return undefined;
        }
        const pkg = r.type.split(":")[0];
        if (pkg !== "pulumi" && (this.barred.all || this.barred.names.has(pkg))) {
            // step_generator.go loadResourceProvider → diag.GetDefaultProviderDenied; the preview bails.
            throw new CheckInputError(
                `the preview would fail: Default provider for '${pkg}' disabled. '${r.urn}' must use an explicit provider.`,
                r.source ? `${r.source.uri}:${r.source.line}` : this.stackFile,
                `pass { provider } to this resource (or its parent), or remove '${pkg}' from pulumi:disable-default-providers`,
            );
        }
        return this.defaultFor(r);
    }

    /** The engine's default provider for a resource's package, with the stack's config for it as inputs. */
    private defaultFor(r: RecordedResource): RecordedResource {
        const pkg = r.type.split(":")[0];
        const name = defaultProviderName(r.version);
        const urn = `urn:pulumi:${this.who.stack}::${this.who.project}::${PROVIDER_TYPE_PREFIX}${pkg}::${name}`;
        let p = this.defaults.get(urn);
        if (!p) {
            // target.go GetPackageConfig: every `<pkg>:<key>` as a string, secret when the stack value is.
            const inputs: WireProperties = {};
            for (const e of this.who.config) {
                if (e.key.startsWith(`${pkg}:`)) {
                    inputs[e.key.slice(pkg.length + 1)] = e.secret ? secretValue(e.value) : e.value;
                }
            }
            if (r.version) {
                inputs["version"] = r.version;
            }
            p = customResource({ urn, type: `${PROVIDER_TYPE_PREFIX}${pkg}`, name, version: r.version, inputs });
            this.defaults.set(urn, p);
        }
        return p;
    }

    /** The provider resource the engine attaches to `r` in analyzer requests; none for components and providers. */
    of(r: RecordedResource): RecordedResource | undefined {
        if (!r.custom || isProviderType(r.type)) {
            return undefined;
        }
        if (r.provider) {
            const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
            return this.byUrn.get(urn);
        }
        return this.defaultFor(r);
    }
}

/**
 * A provider resource's inputs (and, at preview, outputs: the registry's Create returns its inputs) as the engine
 * stores them: source_eval.go RegisterResource sets `version` from the
 * registration's version option (providers.SetProviderVersion) on every `pulumi:providers:*` resource, and the
 * provider registry's Check keeps it (registry.go, Check).
 */
export function withProviderVersion(r: RecordedResource, props: WireProperties): WireProperties {
    return isProviderType(r.type) && r.version ? { ...props, version: r.version } : props;
}
