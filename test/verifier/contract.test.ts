import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ValidationContract } from "../../src/components/mcp-api/contract";
import { buildProtectedResourceMetadata } from "../../src/components/mcp-api/metadata";
import { ContractError, createTokenVerifier, loadValidationContract } from "../../src/verifier";
import { componentContract } from "./component-contract";

let contract: ValidationContract;
let other: ValidationContract;
let dir: string;
const metadataFor = (c: ValidationContract) =>
    buildProtectedResourceMetadata({
        resource: c.audience,
        issuer: c.issuer,
        scopes: ["tools:read"],
        resourceName: c.audience,
    });
const entryFor = (c: ValidationContract) => ({
    audience: c.audience,
    validationContract: c,
    protectedResourceMetadata: metadataFor(c),
});

beforeAll(async () => {
    contract = await componentContract();
    other = await componentContract({ identifier: "https://mcp.example.com/billing" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth0-mcp-contract-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

describe("loadValidationContract finds the contract in every shape the stack exports", () => {
    it("the contract, an apis entry, the apis output and all stack outputs", async () => {
        const apis = { [contract.audience]: entryFor(contract) };
        for (const document of [contract, entryFor(contract), apis, { issuer: contract.issuer, apis }]) {
            const loaded = await loadValidationContract(write("doc.json", document));
            expect(loaded.contract).toEqual(contract);
        }
        expect((await loadValidationContract(write("entry.json", apis))).protectedResourceMetadata).toEqual(
            metadataFor(contract),
        );
        expect((await loadValidationContract(contract)).protectedResourceMetadata).toBeUndefined();
    });

    it("several APIs: picked by identifier; without one, the error lists them", async () => {
        const apis = { [contract.audience]: entryFor(contract), [other.audience]: entryFor(other) };
        const file = write("two.json", apis);
        expect((await loadValidationContract(file, { identifier: other.audience })).contract.audience).toBe(
            "https://mcp.example.com/billing",
        );
        await expect(loadValidationContract(file)).rejects.toThrow(
            `${file}: holds 2 APIs (https://mcp.example.com/mcp, https://mcp.example.com/billing); pass the identifier of the one this server is`,
        );
        await expect(loadValidationContract(file, { identifier: "https://nope.example.com" })).rejects.toThrow(
            /has no API "https:\/\/nope\.example\.com"; it holds "https:\/\/mcp\.example\.com\/mcp", "https:\/\/mcp\.example\.com\/billing"/,
        );
    });

    it("over HTTP from 127.0.0.1, and a non-200 answer is an error naming the URL", async () => {
        const server = http.createServer((req, res) => {
            if (req.url === "/apis.json")
                res.writeHead(200, { "Content-Type": "application/json" }).end(
                    JSON.stringify({ [contract.audience]: entryFor(contract) }),
                );
            else res.writeHead(404).end();
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
            expect((await loadValidationContract(`${origin}/apis.json`)).contract).toEqual(contract);
            expect((await loadValidationContract(new URL(`${origin}/apis.json`))).contract).toEqual(contract);
            await expect(loadValidationContract(`${origin}/missing.json`)).rejects.toThrow(
                `${origin}/missing.json: fetching the validation contract answered HTTP 404; expected 200 with the JSON document`,
            );
        } finally {
            await new Promise((resolve) => server.close(resolve));
        }
    });
});

describe("contracts that must not be used", () => {
    const cases: [string, (c: Record<string, unknown>) => void, RegExp][] = [
        [
            "alg none",
            (c) => (c.algorithms = ["none"]),
            /algorithms holds "none": unsigned or shared-secret tokens are never accepted/,
        ],
        [
            "HS256",
            (c) => (c.algorithms = ["HS256"]),
            /algorithms holds "HS256": unsigned or shared-secret tokens are never accepted; sign with RS256 or PS256/,
        ],
        ["no algorithms", (c) => (c.algorithms = []), /algorithms is \[\]; expected a non-empty list/],
        ["an unknown algorithm", (c) => (c.algorithms = ["RS1"]), /algorithms holds "RS1"; expected one of RS256/],
        [
            "a plain-http JWKS on a public host",
            (c) => (c.jwksUri = "http://example-dev.us.auth0.com/.well-known/jwks.json"),
            /jwksUri is "http:\/\/example-dev/,
        ],
        ["no issuer", (c) => delete c.issuer, /issuer is missing; expected the tenant issuer URL/],
        ["an unknown token type", (c) => (c.tokenType = "jwt"), /tokenType is "jwt"; expected "at\+jwt" or "JWT"/],
        [
            "a zero lifetime",
            (c) => (c.maxTokenLifetimeSeconds = 0),
            /maxTokenLifetimeSeconds is 0; expected a positive whole number/,
        ],
        ["a scope with a space", (c) => (c.requiredScopes = ["tools read"]), /requiredScopes is \["tools read"\]/],
        [
            "an hour of clock tolerance",
            (c) => (c.clockToleranceSeconds = 3600),
            /clockToleranceSeconds is 3600; expected seconds between 0 and 300/,
        ],
    ];

    it.each(cases)("%s is refused with the field, its value and the fix", async (_, edit, message) => {
        const broken = structuredClone(contract) as unknown as Record<string, unknown>;
        edit(broken);
        const file = write("broken.json", broken);
        const error = await loadValidationContract(file).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ContractError);
        expect((error as Error).message).toMatch(
            new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: the validation contract is invalid`),
        );
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).toContain("pulumi stack output apis --json");
        expect(() => createTokenVerifier(broken as unknown as ValidationContract)).toThrow(message);
    });

    it("lists every bad field in one error, in the contract's field order, each with what it holds", () => {
        const broken = structuredClone(contract) as unknown as Record<string, unknown>;
        broken.resourceMetadataUrl = "not a url";
        broken.scopeClaim = "scp";
        broken.audience = "";
        broken.permissionsClaim = "roles";
        broken.requiredClaims = "iss";
        broken.algorithms = ["HS256", "RS1"];
        const error = (() => {
            try {
                createTokenVerifier(broken as unknown as ValidationContract);
            } catch (e) {
                return e;
            }
            return undefined;
        })();
        expect(error).toBeInstanceOf(ContractError);
        const listed = (error as Error).message
            .split("\n")
            .filter((l) => l.startsWith("  - "))
            .map((l) => l.slice(4));
        expect(listed).toEqual([
            'audience is ""; expected the API identifier (the MCP server\'s canonical URI)',
            'algorithms holds "HS256": unsigned or shared-secret tokens are never accepted; sign with RS256 or PS256',
            'algorithms holds "RS1"; expected one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA',
            'requiredClaims is "iss"; expected a list of claim names',
            'scopeClaim is "scp"; expected "scope"',
            'permissionsClaim is "roles"; expected "permissions" or null',
            'resourceMetadataUrl is "not a url"; expected the absolute URL of the RFC 9728 metadata',
        ]);
    });

    it("another contract version, a missing file and a file that is not JSON", async () => {
        await expect(loadValidationContract({ ...contract, contractVersion: 2 })).rejects.toThrow(
            "the contract object: contractVersion 2 is not supported (this verifier reads version 1); use the auth0-mcp version that produced the contract",
        );
        const missing = path.join(dir, "nope.json");
        await expect(loadValidationContract(missing)).rejects.toThrow(
            `${missing}: the validation contract file cannot be read (ENOENT)`,
        );
        await expect(loadValidationContract(write("bad.json", "{ not json"))).rejects.toThrow(/bad\.json: is not JSON/);
        await expect(loadValidationContract(write("empty.json", {}))).rejects.toThrow(/holds no validation contract/);
    });
});
