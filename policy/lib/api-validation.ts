/**
 * Can a resource server (an MCP server) validate the access tokens Auth0 issues for this API on its own?
 * Shared by `default-audience-requires-validation` and `mcp-api-token-settings`.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { nonEmptyString, objectValue, quote } from "./props";
import {
  ASYMMETRIC_SIGNING_ALGS,
  MAX_TOKEN_LIFETIME_SECONDS,
  JWT_TOKEN_DIALECTS,
  isAsymmetricSigningAlg,
  isJwtTokenDialect,
  normalizeSigningAlg,
} from "./token-settings";

export interface TokenValidationLimits {
  /** Accepted signing algorithms, compared case-insensitively. */
  allowedSigningAlgs: readonly string[];
  /** Largest acceptable `tokenLifetime`, in seconds. */
  maxTokenLifetimeSeconds: number;
}

export const DEFAULT_TOKEN_VALIDATION_LIMITS: TokenValidationLimits = {
  allowedSigningAlgs: [...ASYMMETRIC_SIGNING_ALGS],
  maxTokenLifetimeSeconds: MAX_TOKEN_LIFETIME_SECONDS,
};

/**
 * The configSchema properties for {@link TokenValidationLimits}, defaults included. One definition for every rule
 * that takes them; `maxTokenLifetimeDescription` says which lifetimes the rule checks.
 */
export function tokenValidationLimitsSchema(maxTokenLifetimeDescription: string): PolicyConfigSchema["properties"] {
  return {
    allowedSigningAlgs: {
      type: "array",
      description: "Signing algorithms a resource server can verify with the tenant's public keys.",
      items: { type: "string", enum: [...ASYMMETRIC_SIGNING_ALGS] },
      minItems: 1,
      uniqueItems: true,
      default: [...DEFAULT_TOKEN_VALIDATION_LIMITS.allowedSigningAlgs],
    },
    maxTokenLifetimeSeconds: {
      type: "integer",
      description: maxTokenLifetimeDescription,
      minimum: 60,
      maximum: 2_592_000,
      default: DEFAULT_TOKEN_VALIDATION_LIMITS.maxTokenLifetimeSeconds,
    },
  };
}

/** The token settings of an API as read from a ResourceServer's properties or from policy config. */
export interface ApiTokenSettings {
  signingAlg: unknown;
  tokenDialect: unknown;
  tokenLifetime: unknown;
  /** True, false, or the ResourceServer's `tokenEncryption` block. */
  tokenEncryption: unknown;
}

/**
 * True when `tokenEncryption` turns JWE on: a block that names a format or a key and is not `disable: true`.
 * Outputs may carry an empty block for an API without encryption; that is not encryption.
 */
export function encryptsTokens(tokenEncryption: unknown): boolean {
  if (tokenEncryption === true) return true;
  const block = objectValue(tokenEncryption);
  if (!block) return false;
  if (block.disable === true) return false;
  return nonEmptyString(block.format) !== undefined || objectValue(block.encryptionKey) !== undefined;
}

/** Why a resource server could not validate this API's tokens; empty when it can. One phrase each. */
export function tokenValidationProblems(settings: ApiTokenSettings, limits: TokenValidationLimits): string[] {
  const problems: string[] = [];
  const allowed = limits.allowedSigningAlgs.map(normalizeSigningAlg);

  const alg = nonEmptyString(settings.signingAlg);
  if (alg === undefined) {
    problems.push(`signingAlg is not set; set it explicitly to one of ${allowed.join(", ")}`);
  } else if (!isAsymmetricSigningAlg(alg, limits.allowedSigningAlgs)) {
    problems.push(
      `signingAlg ${quote(alg)} is not an allowed asymmetric algorithm (allowed: ${allowed.join(", ")}); ` +
        `a resource server cannot verify ${normalizeSigningAlg(alg)} tokens without holding the tenant's shared secret`,
    );
  }

  const dialect = nonEmptyString(settings.tokenDialect);
  if (dialect === undefined) {
    problems.push(`tokenDialect is not set; set it explicitly, e.g. "rfc9068_profile_authz"`);
  } else if (!isJwtTokenDialect(dialect)) {
    problems.push(`tokenDialect ${quote(dialect)} is not a JWT dialect Auth0 supports (${JWT_TOKEN_DIALECTS.join(", ")})`);
  }

  if (encryptsTokens(settings.tokenEncryption)) {
    problems.push("tokenEncryption is on, so tokens are JWEs the resource server cannot read without the decryption key; remove tokenEncryption");
  }

  const lifetime = settings.tokenLifetime;
  if (typeof lifetime !== "number") {
    problems.push(`tokenLifetime is not set; set it explicitly to at most ${limits.maxTokenLifetimeSeconds} seconds`);
  } else if (lifetime > limits.maxTokenLifetimeSeconds) {
    problems.push(`tokenLifetime ${lifetime} exceeds the maximum of ${limits.maxTokenLifetimeSeconds} seconds`);
  }
  return problems;
}
