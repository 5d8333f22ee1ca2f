/**
 * Which identity provider an Auth0 connection trusts, per strategy. For social strategies the provider is fixed by
 * the strategy (every `google-oauth2` connection signs users in with Google). For enterprise and generic strategies
 * it is not: an `oidc` connection trusts whichever issuer its options name, a `samlp` one whichever sign-in
 * endpoint or metadata URL, so approving the strategy approves every such provider. These connections are approved
 * one by one, pinned to the option values that identify their provider.
 *
 * Field names are @pulumi/auth0 3.49 ConnectionOptions inputs; the per-strategy lists follow which options the
 * provider sends for each strategy (terraform-provider-auth0 v1.53 internal/auth0/connection/expand.go:
 * expandConnectionOptionsOIDC, …Okta, …SAML, …ADFS, …PingFederate, …AzureAD, …GoogleApps, …OAuth2, …OAuth1,
 * …Salesforce). No @pulumi imports: the pack, the component and the checker's config validation load it.
 */

import type { SettingProblem } from "./config-semantics";

/** Strategies whose identity provider is fixed by the strategy itself: approving the strategy is meaningful. */
const FIXED_PROVIDER_STRATEGIES: ReadonlySet<string> = new Set([
    "google-oauth2",
    "github",
    "apple",
    "facebook",
    "linkedin",
    "windowslive",
    "twitter",
    "amazon",
    "yahoo",
    "box",
    "dropbox",
    "bitbucket",
    "paypal",
    "paypal-sandbox",
    "wordpress",
    "shopify",
    "line",
    "salesforce",
    "salesforce-sandbox",
    "auth0",
    "email",
    "sms",
]);

export type IdentityField =
    | "issuer"
    | "discoveryUrl"
    | "jwksUri"
    | "authorizationEndpoint"
    | "tokenEndpoint"
    | "userinfoEndpoint"
    | "signInEndpoint"
    | "metadataUrl"
    | "adfsServer"
    | "pingFederateBaseUrl"
    | "communityBaseUrl"
    | "requestTokenUrl"
    | "accessTokenUrl"
    | "userAuthorizationUrl"
    | "domain"
    | "tenantDomain"
    | "waadCommonEndpoint";

/** Identity options that hold a URL (pinned as canonical URLs). */
const URL_FIELD_NAMES: readonly IdentityField[] = [
    "issuer",
    "discoveryUrl",
    "jwksUri",
    "authorizationEndpoint",
    "tokenEndpoint",
    "userinfoEndpoint",
    "signInEndpoint",
    "metadataUrl",
    "adfsServer",
    "pingFederateBaseUrl",
    "communityBaseUrl",
    "requestTokenUrl",
    "accessTokenUrl",
    "userAuthorizationUrl",
];
const URL_FIELDS: ReadonlySet<IdentityField> = new Set(URL_FIELD_NAMES);
const BOOLEAN_FIELDS: ReadonlySet<IdentityField> = new Set<IdentityField>(["waadCommonEndpoint"]);

export const IDENTITY_FIELDS: readonly IdentityField[] = [
    ...URL_FIELD_NAMES,
    "domain",
    "tenantDomain",
    "waadCommonEndpoint",
];

export interface StrategyIdentity {
    /** Options that decide which provider the connection trusts; every one the connection sets must be pinned. */
    fields: readonly IdentityField[];
    /** At least one of these must be set, or the provider cannot be told from the options. */
    anyOf: readonly IdentityField[];
    /** Options that override the identity fields with content the rule cannot pin (inline XML); refused when set. */
    unpinnable: readonly string[];
}

const OIDC_ENDPOINTS: readonly IdentityField[] = [
    "jwksUri",
    "authorizationEndpoint",
    "tokenEndpoint",
    "userinfoEndpoint",
];

const PINNED_STRATEGIES: Readonly<Record<string, StrategyIdentity>> = {
    oidc: { fields: ["issuer", "discoveryUrl", ...OIDC_ENDPOINTS], anyOf: ["issuer", "discoveryUrl"], unpinnable: [] },
    okta: { fields: ["domain", "issuer", ...OIDC_ENDPOINTS], anyOf: ["domain", "issuer"], unpinnable: [] },
    samlp: {
        fields: ["signInEndpoint", "metadataUrl"],
        anyOf: ["signInEndpoint", "metadataUrl"],
        unpinnable: ["metadataXml"],
    },
    adfs: {
        fields: ["adfsServer", "signInEndpoint"],
        anyOf: ["adfsServer", "signInEndpoint"],
        unpinnable: ["fedMetadataXml"],
    },
    pingfederate: {
        fields: ["pingFederateBaseUrl", "signInEndpoint"],
        anyOf: ["pingFederateBaseUrl", "signInEndpoint"],
        unpinnable: [],
    },
    waad: {
        fields: ["domain", "tenantDomain", "waadCommonEndpoint"],
        anyOf: ["domain", "tenantDomain"],
        unpinnable: [],
    },
    "google-apps": { fields: ["domain", "tenantDomain"], anyOf: ["domain", "tenantDomain"], unpinnable: [] },
    oauth2: {
        fields: ["authorizationEndpoint", "tokenEndpoint"],
        anyOf: ["authorizationEndpoint", "tokenEndpoint"],
        unpinnable: [],
    },
    custom: {
        fields: ["authorizationEndpoint", "tokenEndpoint"],
        anyOf: ["authorizationEndpoint", "tokenEndpoint"],
        unpinnable: [],
    },
    oauth1: {
        fields: ["requestTokenUrl", "accessTokenUrl", "userAuthorizationUrl"],
        anyOf: ["requestTokenUrl", "accessTokenUrl", "userAuthorizationUrl"],
        unpinnable: [],
    },
    "salesforce-community": { fields: ["communityBaseUrl"], anyOf: ["communityBaseUrl"], unpinnable: [] },
};

/** No pinnable option (e.g. `ad`, whose provider is the AD/LDAP connector bound to the connection): named approval. */
const NAMED_ONLY: StrategyIdentity = { fields: [], anyOf: [], unpinnable: [] };

/** How a connection of this strategy is identified; undefined for fixed-provider strategies. */
export function strategyIdentity(strategy: string): StrategyIdentity | undefined {
    if (FIXED_PROVIDER_STRATEGIES.has(strategy)) return undefined;
    return PINNED_STRATEGIES[strategy] ?? NAMED_ONLY;
}

/**
 * An identity value in comparable form: URLs with lowercase scheme and host, no default port and no trailing
 * slash (`https://Login.Example.com/` ≡ `https://login.example.com`); domains lowercase without a trailing dot;
 * booleans as on/off the way Auth0 acts on them (absent = off).
 */
export function comparableIdentity(field: IdentityField, value: unknown): string | undefined {
    if (BOOLEAN_FIELDS.has(field)) {
        const on =
            value !== undefined && value !== null && value !== false && !/^(false|0|f)$/i.test(String(value).trim());
        return on ? "true" : "false";
    }
    if (value === undefined || value === null) return undefined;
    const text = String(value).trim();
    if (URL_FIELDS.has(field) && URL.canParse(text)) {
        const url = new URL(text);
        const path = url.pathname.replace(/\/+$/, "");
        return `${url.protocol}//${url.host}${path}${url.search}`;
    }
    return text.toLowerCase().replace(/\.$/, "");
}

/** A pinned approval: one connection, its strategy and the option values that identify its provider. */
export interface PinnedConnection {
    name: string;
    strategy: string;
    pins: Partial<Record<IdentityField, unknown>>;
}

export const APPROVED_CONNECTIONS_KEY = "approvedConnections";

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The pinned entries of `approvedConnections` (objects), leaving out legacy name strings. */
export function pinnedConnections(list: readonly unknown[] | undefined): PinnedConnection[] {
    return (list ?? []).filter(isRecord).map((entry) => {
        const pins: Partial<Record<IdentityField, unknown>> = {};
        for (const field of IDENTITY_FIELDS) if (entry[field] !== undefined) pins[field] = entry[field];
        return { name: String(entry.name ?? ""), strategy: String(entry.strategy ?? "").toLowerCase(), pins };
    });
}

/**
 * Problems with `approvedConnections` that JSON schema cannot express: an object entry must pin at least one of
 * the options that identify its strategy's provider (a fixed-provider or named-only strategy pins none), only
 * options of that strategy, URLs as absolute https URLs; names may not repeat.
 */
export function validateApprovedConnections(list: unknown): SettingProblem[] {
    const key = APPROVED_CONNECTIONS_KEY;
    if (list === undefined) return [];
    if (!Array.isArray(list))
        return [{ key, message: "must be a list of connection names or {name, strategy, …} entries" }];
    if (list.length === 0) {
        return [
            {
                key,
                message:
                    'is empty; leave it out or list the approved connections (an empty list is not "any connection")',
            },
        ];
    }
    const seen = new Set<string>();
    return list.flatMap((entry: unknown, index) => approvalProblems(entry, `${key}.${index}`, seen));
}

/** One entry: a name string, or an object naming the connection, its strategy and its pins. */
function approvalProblems(entry: unknown, at: string, seen: Set<string>): SettingProblem[] {
    const name = typeof entry === "string" ? entry : isRecord(entry) ? entry.name : undefined;
    if (typeof name !== "string" || name.trim() === "") return [{ key: at, message: "needs a connection name" }];
    const problems = nameProblems(name, at, seen);
    if (isRecord(entry)) problems.push(...pinProblems(entry, at));
    return problems;
}

/** A wildcard, or a name already listed (recorded in `seen`). */
function nameProblems(name: string, at: string, seen: Set<string>): SettingProblem[] {
    const problems: SettingProblem[] = [];
    if (name.includes("*"))
        problems.push({
            key: at,
            message: `${JSON.stringify(name)} is a wildcard; approve connections by exact name`,
        });
    if (seen.has(name)) problems.push({ key: at, message: `${JSON.stringify(name)} is listed twice` });
    seen.add(name);
    return problems;
}

/** A pinned approval needs a strategy, pins only that strategy's identity options, and at least one of them. */
function pinProblems(entry: Record<string, unknown>, at: string): SettingProblem[] {
    const strategy = typeof entry.strategy === "string" ? entry.strategy.trim().toLowerCase() : "";
    if (strategy === "") {
        return [
            {
                key: `${at}.strategy`,
                message: "is required: a pinned approval names the connection's strategy",
            },
        ];
    }
    const identity = strategyIdentity(strategy);
    return [
        ...pinnedFieldProblems(entry, at, strategy, identity?.fields ?? []),
        ...missingPinProblems(entry, at, strategy, identity),
    ];
}

/** Each identity option set on the entry that is not one of the strategy's, or a URL option that is not https. */
function pinnedFieldProblems(
    entry: Record<string, unknown>,
    at: string,
    strategy: string,
    allowed: readonly IdentityField[],
): SettingProblem[] {
    const problems: SettingProblem[] = [];
    for (const field of IDENTITY_FIELDS) {
        if (entry[field] === undefined) continue;
        if (!allowed.includes(field)) {
            problems.push({
                key: `${at}.${field}`,
                message: `does not identify a ${strategy} provider; pin ${allowed.length > 0 ? allowed.join(", ") : "nothing (name and strategy are the approval)"}`,
            });
        } else if (
            URL_FIELDS.has(field) &&
            !(typeof entry[field] === "string" && /^https:\/\/[^/?#]+/.test(entry[field] as string))
        ) {
            problems.push({
                key: `${at}.${field}`,
                message: `${JSON.stringify(entry[field])} is not an absolute https URL`,
            });
        }
    }
    return problems;
}

/** A strategy whose provider is named by its options, with none of the options that name it pinned. */
function missingPinProblems(
    entry: Record<string, unknown>,
    at: string,
    strategy: string,
    identity: StrategyIdentity | undefined,
): SettingProblem[] {
    if (identity === undefined || identity.anyOf.length === 0) return [];
    if (identity.anyOf.some((field) => entry[field] !== undefined)) return [];
    return [
        {
            key: at,
            message:
                `pins no identity provider: ${/^[aeio]/.test(strategy) ? "an" : "a"} ${strategy} connection trusts whatever its options name, so pin ` +
                `${identity.anyOf.join(" or ")} (as the connection sets it)`,
        },
    ];
}
