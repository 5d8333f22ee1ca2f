/**
 * Which Auth0 tenant a resource belongs to, as far as a stack can tell: the provider that manages it. Several
 * tenants can live in one stack through explicit providers; every resource without one goes to the stack's default
 * auth0 provider (the engine names it `default_<version>`, one per SDK version, all configured from `auth0:*`).
 */
interface WithProvider {
    provider?: { urn: string };
}

const DEFAULT_TENANT = "default";

/** A key that is equal for resources of the same tenant. */
export function tenantOf(resource: WithProvider): string {
    const urn = resource.provider?.urn;
    if (urn === undefined || urn === "") return DEFAULT_TENANT;
    const name = urn.slice(urn.lastIndexOf("::") + 2);
    return /^default(_|$)/.test(name) && urn.includes("::pulumi:providers:") ? DEFAULT_TENANT : urn;
}

export function sameTenant(a: WithProvider, b: WithProvider): boolean {
    return tenantOf(a) === tenantOf(b);
}

/** How a message names a tenant key. */
export function describeTenant(key: string): string {
    return key === DEFAULT_TENANT ? "the stack's default auth0 provider" : `provider ${key}`;
}
