import {
    ASYMMETRIC_SIGNING_ALGS,
    JWT_TOKEN_DIALECTS,
    MAX_TOKEN_LIFETIME_SECONDS,
    MIN_TOKEN_LIFETIME_SECONDS,
    isJwtTokenDialect,
    judgeResourceIdentifier,
    judgeSigningAlg,
    lifetimeBoundsProblem,
    normalizeTokenDialect,
} from "../../../policy/facts";
import { Problem, joinPath } from "../problems";
import { tenantDomainProblems } from "../tenant-domain";
import { ResolvedMcpApiArgs } from "./args";

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Problems with an MCP API identifier; empty when it is already canonical. */
export function identifierProblems(identifier: string, allowLocalhostHttp: boolean): string[] {
    const judged = judgeResourceIdentifier(identifier, { allowLocalhostHttp });
    if (judged.verdict === "unusable") {
        return [
            `"${identifier}" is not usable as an MCP server URI: it ${judged.problems.join(", ")}; expected e.g. https://mcp.example.com/mcp`,
        ];
    }
    if (judged.verdict === "not-canonical") {
        const why = judged.problems.length > 0 ? `it ${judged.problems.join(", ")}` : "it is not in canonical form";
        return [`"${identifier}" is not canonical (${why}); use "${judged.canonical}"`];
    }
    return [];
}

export function signingAlgProblems(value: string): string[] {
    const judged = judgeSigningAlg(value);
    if (judged.verdict === "allowed") return [];
    if (judged.normalized === "HS256") {
        return [
            "HS256 is refused: it signs with a shared secret every MCP server would have to hold; use RS256 (default) or PS256",
        ];
    }
    // The provider would accept another case, but the component writes what Auth0 stores.
    if (judged.verdict === "other-case") return [`"${value}" must be written "${judged.normalized}"`];
    return [`"${value}" is not allowed; use ${ASYMMETRIC_SIGNING_ALGS.join(" or ")}`];
}

export function tokenDialectProblems(value: string): string[] {
    if ((JWT_TOKEN_DIALECTS as readonly string[]).includes(value)) return [];
    // The provider doc comments show camelCase (rfc9068ProfileAuthz); Auth0 wants snake_case.
    const snake = normalizeTokenDialect(value.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
    if (isJwtTokenDialect(snake)) return [`"${value}" must be written in snake_case: "${snake}"`];
    return [`"${value}" is not a token dialect; use one of ${JWT_TOKEN_DIALECTS.join(", ")}`];
}

export { MIN_TOKEN_LIFETIME_SECONDS };

export function tokenLifetimeProblems(value: number): string[] {
    if (
        lifetimeBoundsProblem(value, { min: MIN_TOKEN_LIFETIME_SECONDS, max: MAX_TOKEN_LIFETIME_SECONDS }) !== undefined
    ) {
        return [
            `${value} is out of range; expected a whole number of seconds from ${MIN_TOKEN_LIFETIME_SECONDS} to ${MAX_TOKEN_LIFETIME_SECONDS}`,
        ];
    }
    return [];
}

function httpsUrlProblems(value: string): string[] {
    try {
        const url = new URL(value);
        if (url.protocol !== "https:") return [`"${value}" must be an https URL`];
        return [];
    } catch {
        return [`"${value}" is not an absolute URL; expected e.g. https://docs.example.com/mcp`];
    }
}

function scopeListProblems(
    field: string,
    list: readonly string[],
    declared: ReadonlySet<string>,
    allowEmpty: boolean,
): Problem[] {
    const problems: Problem[] = [];
    if (!allowEmpty && list.length === 0)
        problems.push({ path: field, message: "is empty; list at least one declared scope" });
    const seen = new Set<string>();
    list.forEach((name, i) => {
        if (!declared.has(name)) {
            problems.push({
                path: joinPath(field, i),
                message: `"${name}" is not a declared scope; declared: ${[...declared].join(", ")}`,
            });
        }
        if (seen.has(name)) problems.push({ path: joinPath(field, i), message: `"${name}" is listed twice` });
        seen.add(name);
    });
    return problems;
}

/**
 * What {@link mcpApiProblems} judges: resolved args whose signing algorithm and dialect may still be any string
 * (stack config holds strings, so that HS256 gets this refusal rather than a type error).
 */
type McpApiSettingsToCheck = Omit<ResolvedMcpApiArgs, "signingAlg" | "tokenDialect"> & {
    signingAlg: string;
    tokenDialect: string;
};

interface McpApiChecks {
    /** Judge `tenantDomain` too; the stack-config loader judges it once, against `auth0:domain`. Default true. */
    tenantDomain?: boolean;
}

/**
 * Every rule an MCP API must satisfy, with paths relative to the args (`identifier`, `scopes[1].name`, …).
 * Used by the McpApi component and by the stack-config loader, so both report the same problems.
 */
export function mcpApiProblems(args: McpApiSettingsToCheck, checks: McpApiChecks = {}): Problem[] {
    const problems: Problem[] = [];
    const add = (path: string, messages: string[]) => messages.forEach((message) => problems.push({ path, message }));

    add("identifier", identifierProblems(args.identifier, args.allowLocalhostHttp));
    if (checks.tenantDomain ?? true) add("tenantDomain", tenantDomainProblems(args.tenantDomain));
    if (args.displayName.trim() === "" || /[<>]/.test(args.displayName)) {
        add("displayName", [`"${args.displayName}" must be non-empty and must not contain < or >`]);
    }

    if (args.scopes.length === 0)
        add("scopes", ["is empty; declare at least one scope with a description, e.g. tools:read"]);
    const declared = new Set<string>();
    args.scopes.forEach((scope, i) => {
        const at = joinPath("scopes", i);
        if (!SCOPE_TOKEN.test(scope.name)) {
            add(joinPath(at, "name"), [
                `"${scope.name}" is not a valid scope name; use printable characters without spaces, quotes or backslashes, e.g. tools:read`,
            ]);
        } else if (declared.has(scope.name)) {
            add(joinPath(at, "name"), [`"${scope.name}" is declared twice`]);
        }
        declared.add(scope.name);
        if (scope.description.trim() === "") {
            add(joinPath(at, "description"), [
                "is empty; users see it on the consent screen, say what the scope allows",
            ]);
        }
    });

    add("signingAlg", signingAlgProblems(args.signingAlg));
    add("tokenDialect", tokenDialectProblems(args.tokenDialect));
    add("tokenLifetimeSeconds", tokenLifetimeProblems(args.tokenLifetimeSeconds));
    problems.push(...scopeListProblems("thirdPartyScopes", args.thirdPartyScopes, declared, false));
    problems.push(...scopeListProblems("requiredScopes", args.requiredScopes, declared, true));
    if (args.resourceDocumentation !== undefined)
        add("resourceDocumentation", httpsUrlProblems(args.resourceDocumentation));
    return problems;
}
