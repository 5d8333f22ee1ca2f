/**
 * Can a resource server (an MCP server) validate the access tokens Auth0 issues for this API on its own?
 * Shared by `default-audience-requires-validation` (stack: outputs) and `mcp-api-token-settings` (resource: inputs).
 * Fields are read through a {@link FieldReader}, so every rule decides unknowns the same way:
 * - unset (or, in a stack policy, computed because the program left it unset): judged as Auth0's documented default
 *   where that default is safe (no token encryption), otherwise a problem asking to set the field explicitly;
 * - taken from another resource's output: a problem (fail closed) asking for a literal value.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { describeUnknown, isOn, lifetimeProblems, normalized, type FieldRead } from "./fields";
import { objectValue, quote } from "./props";
import {
    ASYMMETRIC_SIGNING_ALGS,
    AUTH0_DEFAULT_TOKEN_LIFETIME_SECONDS,
    AUTH0_MAX_TOKEN_LIFETIME_SECONDS,
    JWT_TOKEN_DIALECTS,
    MAX_TOKEN_LIFETIME_SECONDS,
    MIN_TOKEN_LIFETIME_SECONDS,
    isJwtTokenDialect,
    judgeSigningAlg,
    normalizeSigningAlg,
    normalizeTokenDialect,
} from "../facts/token-settings";

export type FieldReader = (path: string) => FieldRead;

export interface TokenValidationLimits {
    /** Accepted signing algorithms, compared case-insensitively. */
    allowedSigningAlgs: readonly string[];
    /** Largest acceptable `tokenLifetime`, in seconds. */
    maxTokenLifetimeSeconds: number;
}

const DEFAULT_TOKEN_VALIDATION_LIMITS: TokenValidationLimits = {
    allowedSigningAlgs: [...ASYMMETRIC_SIGNING_ALGS],
    maxTokenLifetimeSeconds: MAX_TOKEN_LIFETIME_SECONDS,
};

/** RFC 9068 dialects: `typ: at+jwt`, `client_id` and the standard claims a resource server validates. */
const RFC9068_TOKEN_DIALECTS = ["rfc9068_profile", "rfc9068_profile_authz"] as const;

/** User-flow policies under which an application needs a client grant (or nothing) to get user tokens for the API. */
const RESTRICTED_USER_POLICIES = ["require_client_grant", "deny_all"] as const;

export interface TokenRequirements extends TokenValidationLimits {
    /** Only RFC 9068 dialects (the default-audience API); otherwise any Auth0 JWT dialect. */
    rfc9068Only: boolean;
    /** Require a user policy that does not open the API to every application (the default-audience API). */
    restrictUserAccess: boolean;
}

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
            minimum: MIN_TOKEN_LIFETIME_SECONDS,
            maximum: AUTH0_MAX_TOKEN_LIFETIME_SECONDS,
            default: DEFAULT_TOKEN_VALIDATION_LIMITS.maxTokenLifetimeSeconds,
        },
    };
}

/** A field the rule needs a literal for: undefined when it is set, else the problem to report. */
function fromResource(path: string, read: FieldRead): string | undefined {
    if (read.state === "unknown" && read.cause === "from-resource") {
        return `${describeUnknown(path, read)}; the rule cannot verify it, so write ${path} as a literal value`;
    }
    return undefined;
}

/** Unset, or computed because the program left it unset: both mean "Auth0 decides". */
function leftToAuth0(read: FieldRead): boolean {
    return read.state === "unset" || (read.state === "unknown" && read.cause === "computed");
}

function signingAlgProblems(read: FieldRead, limits: TokenValidationLimits): string[] {
    const allowed = limits.allowedSigningAlgs.map(normalizeSigningAlg);
    const unknown = fromResource("signingAlg", read);
    if (unknown) return [unknown];
    if (read.state !== "set") {
        return [
            `signingAlg is not set; set it explicitly to one of ${allowed.join(", ")} (a value left to Auth0 is never reverted after a dashboard change)`,
        ];
    }
    const alg = typeof read.value === "string" ? read.value : undefined;
    // The provider compares case-insensitively, so another case of an allowed algorithm is allowed.
    if (alg === undefined || judgeSigningAlg(alg, limits.allowedSigningAlgs).verdict === "refused") {
        return [
            `signingAlg ${quote(read.value)} is not an allowed asymmetric algorithm (allowed: ${allowed.join(", ")}); ` +
                `a resource server cannot verify ${alg ? normalizeSigningAlg(alg) : "such"} tokens with the tenant's public keys`,
        ];
    }
    return [];
}

function dialectProblems(read: FieldRead, rfc9068Only: boolean): string[] {
    const accepted: readonly string[] = rfc9068Only ? RFC9068_TOKEN_DIALECTS : JWT_TOKEN_DIALECTS;
    const unknown = fromResource("tokenDialect", read);
    if (unknown) return [unknown];
    if (read.state !== "set") {
        return [
            `tokenDialect is not set (Auth0 then issues "access_token" tokens); set it explicitly, e.g. "rfc9068_profile_authz"`,
        ];
    }
    const dialect = typeof read.value === "string" ? read.value : "";
    if (!isJwtTokenDialect(dialect)) {
        return [
            `tokenDialect ${quote(read.value)} is not a JWT dialect Auth0 supports (${JWT_TOKEN_DIALECTS.join(", ")})`,
        ];
    }
    if (!accepted.includes(normalizeTokenDialect(dialect))) {
        return [
            `tokenDialect ${quote(read.value)} is not an RFC 9068 dialect (${accepted.join(", ")}); only RFC 9068 access tokens ` +
                `carry typ "at+jwt" and client_id, which keep them apart from ID tokens`,
        ];
    }
    return [];
}

function encryptionProblems(read: FieldReader): string[] {
    const block = read("tokenEncryption");
    if (block.state === "unset" || (block.state === "unknown" && block.cause === "computed")) return []; // Auth0's default: none
    const unknown = fromResource("tokenEncryption", block);
    if (unknown) return [unknown];
    if (block.state === "set" && block.value === true) return [ENCRYPTION_ON];
    const disable = read("tokenEncryption.disable");
    if (disable.state === "set" && isOn(disable.value)) return [];
    const format = read("tokenEncryption.format");
    const key = read("tokenEncryption.encryptionKey");
    const named = (field: FieldRead) =>
        field.state === "set" || (field.state === "unknown" && field.cause === "from-resource");
    return named(format) || named(key) ? [ENCRYPTION_ON] : [];
}

const ENCRYPTION_ON =
    "tokenEncryption is on, so tokens are JWEs the resource server cannot read without the decryption key; remove tokenEncryption";

function lifetimeFieldProblems(path: string, read: FieldRead, max: number, required: boolean): string[] {
    const unknown = fromResource(path, read);
    if (unknown) return [unknown];
    if (read.state !== "set") {
        return required
            ? [
                  `${path} is not set (Auth0's default is ${AUTH0_DEFAULT_TOKEN_LIFETIME_SECONDS} seconds); set it explicitly to at most ${max} seconds`,
              ]
            : [];
    }
    return lifetimeProblems(path, read.value, max);
}

function userAccessProblems(read: FieldRead): string[] {
    const path = "subjectTypeAuthorization.user.policy";
    const unknown = fromResource(path, read);
    if (unknown) return [unknown];
    if (leftToAuth0(read)) {
        return [
            `${path} is not set, and Auth0's default "allow_all" lets every application in the tenant get user tokens for ` +
                `this API; set it to "require_client_grant"`,
        ];
    }
    const policy = read.state === "set" ? normalized(read.value) : undefined;
    if (policy === undefined || !(RESTRICTED_USER_POLICIES as readonly string[]).includes(policy)) {
        return [
            `${path} ${quote(read.state === "set" ? read.value : undefined)} lets every application in the tenant get user ` +
                `tokens for this API; set it to "require_client_grant" (or "deny_all")`,
        ];
    }
    return [];
}

/** Why a resource server could not validate this API's tokens; empty when it can. One phrase each. */
export function tokenValidationProblems(read: FieldReader, requirements: TokenRequirements): string[] {
    return [
        ...signingAlgProblems(read("signingAlg"), requirements),
        ...dialectProblems(read("tokenDialect"), requirements.rfc9068Only),
        ...encryptionProblems(read),
        ...lifetimeFieldProblems("tokenLifetime", read("tokenLifetime"), requirements.maxTokenLifetimeSeconds, true),
        ...lifetimeFieldProblems(
            "tokenLifetimeForWeb",
            read("tokenLifetimeForWeb"),
            requirements.maxTokenLifetimeSeconds,
            false,
        ),
        ...(requirements.restrictUserAccess ? userAccessProblems(read("subjectTypeAuthorization.user.policy")) : []),
    ];
}

/** A reader over plain, fully known values (policy config entries): absent is unset. */
export function plainReader(values: Record<string, unknown>): FieldReader {
    return (path) => {
        let current: unknown = values;
        for (const step of path.split(".")) {
            current = objectValue(current)?.[step];
        }
        return current === undefined || current === null ? { state: "unset" } : { state: "set", value: current };
    };
}
