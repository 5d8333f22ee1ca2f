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
export const AUTHZ_TOKEN_DIALECTS: readonly TokenDialect[] = ["access_token_authz", "rfc9068_profile_authz"];

/** The dialect Auth0's MCP guidance uses: RFC 9068 JWT profile (`typ: at+jwt`) with permissions. */
export const DEFAULT_TOKEN_DIALECT: TokenDialect = "rfc9068_profile_authz";

/** Auth0's maximum access-token lifetime for APIs is 30 days; MCP servers want far shorter. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

export function normalizeSigningAlg(value: string): string {
  return value.trim().toUpperCase();
}

export function normalizeTokenDialect(value: string): string {
  return value.trim().toLowerCase();
}

export function isAsymmetricSigningAlg(value: string, allowed: readonly string[] = ASYMMETRIC_SIGNING_ALGS): boolean {
  const alg = normalizeSigningAlg(value);
  return allowed.some((a) => normalizeSigningAlg(a) === alg);
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
