/**
 * Facts about Auth0 resource-server token settings that both the components and the policy pack apply.
 * The provider compares `tokenDialect` and `signingAlg` case-insensitively, so every check here normalises
 * case first: `RFC9068_PROFILE_AUTHZ` and `hs256` must not slip past a rule written in one case.
 */

export const ASYMMETRIC_SIGNING_ALGS = ["RS256", "PS256"] as const;
export type AsymmetricSigningAlg = (typeof ASYMMETRIC_SIGNING_ALGS)[number];

/** Token dialects that produce a JWT access token a resource server can validate (all of Auth0's). */
export const JWT_TOKEN_DIALECTS = [
    "access_token",
    "access_token_authz",
    "rfc9068_profile",
    "rfc9068_profile_authz",
] as const;
export type TokenDialect = (typeof JWT_TOKEN_DIALECTS)[number];

/** Dialects that add the `permissions` claim, which Auth0 only fills when RBAC (`enforcePolicies`) is on. */
const AUTHZ_TOKEN_DIALECTS: readonly TokenDialect[] = ["access_token_authz", "rfc9068_profile_authz"];

/** The dialect Auth0's MCP guidance uses: RFC 9068 JWT profile (`typ: at+jwt`) with permissions. */
export const DEFAULT_TOKEN_DIALECT: TokenDialect = "rfc9068_profile_authz";

/** The lifetime the McpApi component gives its tokens unless told otherwise. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** The longest lifetime an MCP API's tokens may have (the pack's default limit, the component's fixed one). */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
/** Below a minute, clock tolerance on the server would exceed the token's whole life. */
export const MIN_TOKEN_LIFETIME_SECONDS = 60;
/** Auth0's own ceiling for an API's access-token lifetime: 30 days. No limit may be configured above it. */
export const AUTH0_MAX_TOKEN_LIFETIME_SECONDS = 2_592_000;
/** What Auth0 uses when an API sets no `tokenLifetime`. */
export const AUTH0_DEFAULT_TOKEN_LIFETIME_SECONDS = 86_400;

export function normalizeSigningAlg(value: string): string {
    return value.trim().toUpperCase();
}

export function normalizeTokenDialect(value: string): string {
    return value.trim().toLowerCase();
}

function isAsymmetricSigningAlg(value: string, allowed: readonly string[] = ASYMMETRIC_SIGNING_ALGS): boolean {
    const alg = normalizeSigningAlg(value);
    return allowed.some((a) => normalizeSigningAlg(a) === alg);
}

/** Exactly one of the allowed names, spelt as Auth0 stores it. */
export function isAsymmetricSigningAlgName(value: string): value is AsymmetricSigningAlg {
    return (ASYMMETRIC_SIGNING_ALGS as readonly string[]).includes(value);
}

/** Exactly one of the dialect names, spelt as Auth0 stores it (snake_case). */
export function isTokenDialectName(value: string): value is TokenDialect {
    return (JWT_TOKEN_DIALECTS as readonly string[]).includes(value);
}

export function isJwtTokenDialect(value: string): value is TokenDialect {
    return (JWT_TOKEN_DIALECTS as readonly string[]).includes(normalizeTokenDialect(value));
}

export function isAuthzTokenDialect(value: string): boolean {
    return (AUTHZ_TOKEN_DIALECTS as readonly string[]).includes(normalizeTokenDialect(value));
}

/** The `typ` header an access token of this dialect carries (RFC 9068 tokens are `at+jwt`). */
export function tokenTypeForDialect(value: string): "at+jwt" | "JWT" {
    return normalizeTokenDialect(value).startsWith("rfc9068_profile") ? "at+jwt" : "JWT";
}

/** Why a token lifetime is out of bounds, as a code each side words itself; undefined when it is within them. */
type LifetimeProblem = "not-a-number" | "not-whole" | "below-min" | "above-max";

interface LifetimeBounds {
    min: number;
    max: number;
}

export function lifetimeBoundsProblem(value: unknown, bounds: LifetimeBounds): LifetimeProblem | undefined {
    if (typeof value !== "number") return "not-a-number";
    if (!Number.isInteger(value)) return "not-whole";
    if (value < bounds.min) return "below-min";
    if (value > bounds.max) return "above-max";
    return undefined;
}

/**
 * The verdict on a signing algorithm against an allowlist (default: the asymmetric ones). `other-case`: allowed
 * once upper-cased (the provider accepts it; the component wants it written as Auth0 does). `normalized` is the
 * upper-case form.
 */
type SigningAlgVerdict =
    | { verdict: "allowed" }
    | { verdict: "other-case"; normalized: string }
    | { verdict: "refused"; normalized: string; symmetric: boolean };

export function judgeSigningAlg(
    value: string,
    allowed: readonly string[] = ASYMMETRIC_SIGNING_ALGS,
): SigningAlgVerdict {
    if (allowed.includes(value)) return { verdict: "allowed" };
    const normalized = normalizeSigningAlg(value);
    if (isAsymmetricSigningAlg(value, allowed)) return { verdict: "other-case", normalized };
    return { verdict: "refused", normalized, symmetric: /^HS\d+$/.test(normalized) };
}
