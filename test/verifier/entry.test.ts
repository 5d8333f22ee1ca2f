import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/stack-config";

// The server-side entry must load in an MCP server without Pulumi, the components or the checker: a fresh node
// process requires it (TypeScript compiled on the fly by ts-node, as `npm run build` would) and reports every
// module it loaded.

interface Loaded {
    exports: string[];
    /** require.cache keys after requiring this entry (and the ones before it). */
    loaded: string[];
}

/** One fresh process requires the entries in order; one ts-node start-up is the slow part. */
function loadInOrder(entries: string[]): Record<string, Loaded> {
    const script = `
        const result = {};
        for (const entry of ${JSON.stringify(entries)}) {
            result[entry] = { exports: Object.keys(require(entry)), loaded: Object.keys(require.cache) };
        }
        process.stdout.write(JSON.stringify(result));
    `;
    const output = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(REPO_ROOT, "tsconfig.json") },
    });
    return JSON.parse(output);
}

const own = (loaded: string[]) =>
    loaded.filter((p) => !p.includes(`${path.sep}node_modules${path.sep}`)).map((p) => path.relative(REPO_ROOT, p));
const under = (loaded: string[], segment: string) =>
    loaded.filter((p) => p.includes(`${path.sep}${segment}${path.sep}`));

describe("auth0-mcp/verifier entry", () => {
    it("loads jose and its own modules only; the SDK adapter adds the SDK; never @pulumi/*, src/components, src/check or policy/", () => {
        const result = loadInOrder(["./src/verifier", "./src/verifier/mcp-sdk"]);
        const verifier = result["./src/verifier"];
        expect(verifier.exports).toEqual(
            expect.arrayContaining([
                "createTokenVerifier",
                "loadValidationContract",
                "bearerAuth",
                "protectedResourceMetadataHandler",
            ]),
        );
        expect(under(verifier.loaded, "@pulumi")).toEqual([]);
        expect(under(verifier.loaded, "jose")).not.toEqual([]);
        expect(under(verifier.loaded, "@modelcontextprotocol")).toEqual([]);
        for (const file of own(verifier.loaded)) expect(file).toMatch(/^src[\\/]verifier[\\/]/);

        const adapter = result["./src/verifier/mcp-sdk"];
        expect(adapter.exports).toEqual(["mcpTokenVerifier", "mcpBearerAuthOptions"]);
        expect(under(adapter.loaded, "@pulumi")).toEqual([]);
        expect(under(adapter.loaded, "@modelcontextprotocol")).not.toEqual([]);
        for (const file of own(adapter.loaded)) expect(file).toMatch(/^src[\\/]verifier[\\/]/);
    });
});
