import * as fs from "node:fs/promises";
import type { ValidationContract } from "../components/mcp-api/contract";
import type { ProtectedResourceMetadata } from "../components/mcp-api/metadata";

/**
 * Loads and checks a validation contract as the McpApi component exports it (src/components/mcp-api/contract.ts). Accepts the
 * contract itself, one entry of the stack's `apis` output (`{ validationContract, protectedResourceMetadata, … }`),
 * the whole `apis` output (identifier → entry) or all stack outputs (`{ apis: … }`); the last two need the
 * identifier when they hold more than one API. Only types are imported from src/components/mcp-api, so loading this module
 * loads neither Pulumi nor the checker.
 */

export type { ValidationContract };
export type { ProtectedResourceMetadata };

export interface LoadedContract {
    contract: ValidationContract;
    /** Present when the document carried the API's RFC 9728 metadata (stack outputs do). */
    protectedResourceMetadata: ProtectedResourceMetadata | undefined;
}

export interface LoadContractOptions {
    /** The MCP API's identifier, to pick one API from a document holding several. */
    identifier?: string;
    /** Milliseconds to wait for a contract fetched over HTTP(S). Default 5000. */
    timeoutMs?: number;
}

export class ContractError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ContractError";
    }
}

/** Signature algorithms a contract may name. `none` and HS* are refused: a shared secret or no signature at all. */
export const ASYMMETRIC_JWS_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
];

const FIX = "re-export it with `pulumi stack output apis --json` from a stack built by this package";

export async function loadValidationContract(
    source: string | URL | object,
    options: LoadContractOptions = {},
): Promise<LoadedContract> {
    if (typeof source === "object" && !(source instanceof URL))
        return selectContract(source, "the contract object", options.identifier);
    const where = String(source);
    const document = await readJson(source, options.timeoutMs ?? 5000);
    return selectContract(document, where, options.identifier);
}

async function readJson(source: string | URL, timeoutMs: number): Promise<unknown> {
    const url = source instanceof URL ? source : /^https?:\/\//i.test(source) ? new URL(source) : undefined;
    let text: string;
    if (url && (url.protocol === "http:" || url.protocol === "https:")) {
        let response: Response;
        try {
            response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
        } catch (e) {
            throw new ContractError(
                `${url.href}: the validation contract could not be fetched (${(e as Error).message}); check the URL and that it is reachable`,
            );
        }
        if (response.status !== 200) {
            throw new ContractError(
                `${url.href}: fetching the validation contract answered HTTP ${response.status}; expected 200 with the JSON document`,
            );
        }
        text = await response.text();
    } else {
        const file = url ?? source;
        try {
            text = await fs.readFile(file, "utf8");
        } catch (e) {
            throw new ContractError(
                `${String(file)}: the validation contract file cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${FIX}`,
            );
        }
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new ContractError(`${String(source)}: is not JSON (${(e as Error).message}); ${FIX}`);
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Finds the contract in any of the document shapes the stack outputs produce, then checks it. */
export function selectContract(document: unknown, where: string, identifier?: string): LoadedContract {
    if (!isRecord(document))
        throw new ContractError(`${where}: expected a JSON object holding a validation contract; ${FIX}`);
    if ("contractVersion" in document) {
        return { contract: parseValidationContract(document, where), protectedResourceMetadata: undefined };
    }
    if ("validationContract" in document) {
        return {
            contract: parseValidationContract(document.validationContract, `${where}: validationContract`),
            protectedResourceMetadata: parseMetadata(
                document.protectedResourceMetadata,
                `${where}: protectedResourceMetadata`,
            ),
        };
    }
    const apis = isRecord(document.apis) ? document.apis : document;
    const prefix = apis === document ? "" : "apis";
    const identifiers = Object.keys(apis).filter(
        (k) => isRecord(apis[k]) && "validationContract" in (apis[k] as object),
    );
    if (identifiers.length === 0) {
        throw new ContractError(
            `${where}: holds no validation contract (no contractVersion, validationContract or apis entry); ${FIX}`,
        );
    }
    let chosen: string;
    if (identifier !== undefined) {
        if (!identifiers.includes(identifier)) {
            throw new ContractError(
                `${where}: has no API ${JSON.stringify(identifier)}; it holds ${identifiers.map((i) => JSON.stringify(i)).join(", ")}`,
            );
        }
        chosen = identifier;
    } else if (identifiers.length === 1) {
        chosen = identifiers[0];
    } else {
        throw new ContractError(
            `${where}: holds ${identifiers.length} APIs (${identifiers.join(", ")}); pass the identifier of the one this server is`,
        );
    }
    return selectContract(apis[chosen], `${where}: ${prefix}${prefix ? "." : ""}${JSON.stringify(chosen)}`);
}

function parseMetadata(value: unknown, where: string): ProtectedResourceMetadata | undefined {
    if (value === undefined) return undefined;
    if (!isRecord(value) || typeof value.resource !== "string" || !Array.isArray(value.authorization_servers)) {
        throw new ContractError(
            `${where}: is not RFC 9728 metadata (needs resource and authorization_servers); ${FIX}`,
        );
    }
    return value as unknown as ProtectedResourceMetadata;
}

/** Checks every field of a contract; the message names the field, what it holds and what it must be. */
export function parseValidationContract(value: unknown, where: string): ValidationContract {
    if (!isRecord(value)) throw new ContractError(`${where}: expected a validation contract object; ${FIX}`);
    requireSupportedVersion(value, where);
    const problems = contractProblems(value);
    if (problems.length > 0) {
        throw new ContractError(
            `${where}: the validation contract is invalid:\n  - ${problems.join("\n  - ")}\n${FIX}`,
        );
    }
    return value as unknown as ValidationContract;
}

/** Records a problem when `ok` is false, quoting what the contract holds at `key`. */
type FieldCheck = (key: string, ok: boolean, expected: string) => void;

const isString = (v: unknown): v is string => typeof v === "string" && v !== "";
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function requireSupportedVersion(value: Record<string, unknown>, where: string): void {
    if (value.contractVersion !== 1) {
        throw new ContractError(
            `${where}: contractVersion ${JSON.stringify(value.contractVersion)} is not supported (this verifier reads version 1); use the auth0-mcp version that produced the contract`,
        );
    }
}

/** Every problem of the contract's fields, in the order the fields are listed. */
function contractProblems(value: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const field: FieldCheck = (key, ok, expected) => {
        if (!ok) problems.push(`${key} is ${JSON.stringify(value[key]) ?? "missing"}; expected ${expected}`);
    };
    checkIssuerAudienceAndJwks(value, field);
    field(
        "algorithms",
        isStrings(value.algorithms) && value.algorithms.length > 0,
        'a non-empty list such as ["RS256"]',
    );
    problems.push(...refusedAlgorithms(value.algorithms));
    checkClaims(value, field);
    checkLifetimes(value, field);
    field(
        "resourceMetadataUrl",
        isString(value.resourceMetadataUrl) && isWebUrl(value.resourceMetadataUrl),
        "the absolute URL of the RFC 9728 metadata",
    );
    return problems;
}

function checkIssuerAudienceAndJwks(value: Record<string, unknown>, field: FieldCheck): void {
    field(
        "issuer",
        isString(value.issuer) && isWebUrl(value.issuer),
        "the tenant issuer URL, e.g. https://example.us.auth0.com/",
    );
    field("audience", isString(value.audience), "the API identifier (the MCP server's canonical URI)");
    field("jwksUri", isString(value.jwksUri) && isWebUrl(value.jwksUri), "an https URL of the tenant's JWKS");
}

/** One problem per listed algorithm that is unsigned, shared-secret or not a known asymmetric one. */
function refusedAlgorithms(algorithms: unknown): string[] {
    if (!isStrings(algorithms)) return [];
    const problems: string[] = [];
    for (const alg of algorithms) {
        if (alg.toLowerCase() === "none" || /^HS/i.test(alg)) {
            problems.push(
                `algorithms holds ${JSON.stringify(alg)}: unsigned or shared-secret tokens are never accepted; sign with RS256 or PS256`,
            );
        } else if (!ASYMMETRIC_JWS_ALGORITHMS.includes(alg)) {
            problems.push(
                `algorithms holds ${JSON.stringify(alg)}; expected one of ${ASYMMETRIC_JWS_ALGORITHMS.join(", ")}`,
            );
        }
    }
    return problems;
}

function checkClaims(value: Record<string, unknown>, field: FieldCheck): void {
    field("tokenType", value.tokenType === "at+jwt" || value.tokenType === "JWT", '"at+jwt" or "JWT"');
    field("requiredClaims", isStrings(value.requiredClaims), "a list of claim names");
    field("scopeClaim", value.scopeClaim === "scope", '"scope"');
    field(
        "permissionsClaim",
        value.permissionsClaim === "permissions" || value.permissionsClaim === null,
        '"permissions" or null',
    );
    field(
        "requiredScopes",
        isStrings(value.requiredScopes) && value.requiredScopes.every((s) => !/\s/.test(s)),
        "a list of scope names without spaces",
    );
}

function checkLifetimes(value: Record<string, unknown>, field: FieldCheck): void {
    field(
        "maxTokenLifetimeSeconds",
        Number.isInteger(value.maxTokenLifetimeSeconds) && (value.maxTokenLifetimeSeconds as number) > 0,
        "a positive whole number of seconds",
    );
    field(
        "clockToleranceSeconds",
        typeof value.clockToleranceSeconds === "number" &&
            value.clockToleranceSeconds >= 0 &&
            value.clockToleranceSeconds <= 300,
        "seconds between 0 and 300",
    );
}

/** https, or http on a loopback host (local development and tests). */
function isWebUrl(value: string): boolean {
    try {
        const url = new URL(value);
        if (url.protocol === "https:") return true;
        return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
    } catch {
        return false;
    }
}
