/**
 * Report locations: the line of the user's program a person should open for each resource. The SDK reports a
 * resource's source position as the first stack frame after the constructors of Resource, Custom/ComponentResource
 * and the concrete class (@pulumi/pulumi resource.js `Resource.stackTrace(4)`, upstream sdk/nodejs/resource.ts), and
 * sends the remaining frames as the registration's stack trace (runtime/resource.js `marshalStackTrace`); frames
 * without `(file:line:column)`, such as an anonymous arrow's, parse to nothing (`Resource.callsites`,
 * `framePositionRegExp`), so a component built in `array.map((a) => new McpApi(...))` has no source position and
 * only its stack trace names the program's line.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { COMPONENT_TYPE_PREFIX, libraryDirsFor, locateResources } from "../../src/check/resource-locations";
import { MCP_API_TYPE } from "../../src/components/mcp-api/component";
import { TENANT_MCP_SETTINGS_TYPE } from "../../src/components/tenant/component";
import type { RecordedResource } from "../../src/check/types";
import { customResource } from "../../src/check/recorded-resource";
import { defined } from "../helpers/defined";

const REPO = "/home/dev/acme-infra";
const STACK = "urn:pulumi:dev::acme::pulumi:pulumi:Stack::acme-dev";

function res(
    urn: string,
    type: string,
    parent: string,
    pos?: { uri: string; line: number },
    callStack?: Array<{ uri: string; line: number }>,
): RecordedResource {
    return customResource({
        urn,
        type,
        name: defined(urn.split("::").at(-1), `a name in ${urn}`),
        custom: !type.startsWith(COMPONENT_TYPE_PREFIX),
        parent,
        ...(pos ? { source: pos } : {}),
        ...(callStack ? { callStack } : {}),
    });
}

const TENANT_COMPONENT = `urn:pulumi:dev::acme::${TENANT_MCP_SETTINGS_TYPE}::acme`;
const TENANT = `urn:pulumi:dev::acme::${TENANT_MCP_SETTINGS_TYPE}$auth0:index/tenant:Tenant::acme-tenant`;
const stackRoot = res(STACK, "pulumi:pulumi:Stack", "");

describe("resource locations", () => {
    it("this package's component type tokens carry the prefix the walk recognises", () => {
        expect(MCP_API_TYPE.startsWith(COMPONENT_TYPE_PREFIX)).toBe(true);
        expect(TENANT_MCP_SETTINGS_TYPE.startsWith(COMPONENT_TYPE_PREFIX)).toBe(true);
    });

    it("consumer repo: a component's child (its source in node_modules, dropped by the recorder) is at the consumer's `new TenantMcpSettings(...)` line", () => {
        const scope = {
            repoRoot: REPO,
            libraryDirs: libraryDirsFor(`${REPO}/node_modules/auth0-mcp`, `${REPO}/infra`),
        };
        const locations = locateResources(
            [
                stackRoot,
                res(TENANT_COMPONENT, TENANT_MCP_SETTINGS_TYPE, STACK, { uri: `${REPO}/infra/index.ts`, line: 27 }),
                res(TENANT, "auth0:index/tenant:Tenant", TENANT_COMPONENT),
            ],
            scope,
        );
        expect(locations.get(TENANT)).toEqual({ file: "infra/index.ts", line: 27 });
        expect(locations.get(TENANT_COMPONENT)).toEqual({ file: "infra/index.ts", line: 27 });
        expect(locations.has(STACK)).toBe(false);
    });

    it("consumer repo with the package linked from a clone elsewhere (file: dependency): never a line outside the repository", () => {
        const scope = { repoRoot: REPO, libraryDirs: libraryDirsFor("/home/dev/auth0-mcp", `${REPO}`) };
        const child = res(
            TENANT,
            "auth0:index/tenant:Tenant",
            TENANT_COMPONENT,
            { uri: "/home/dev/auth0-mcp/dist/src/components/tenant/component.js", line: 56 },
            [
                { uri: "/home/dev/auth0-mcp/dist/src/components/tenant/component.js", line: 56 },
                { uri: `${REPO}/index.ts`, line: 9 },
            ],
        );
        const component = res(TENANT_COMPONENT, TENANT_MCP_SETTINGS_TYPE, STACK, { uri: `${REPO}/index.ts`, line: 9 });
        expect(locateResources([stackRoot, component, child], scope).get(TENANT)).toEqual({
            file: "index.ts",
            line: 9,
        });
        // A resource declared only outside the repository gets no location (the reports fall back to the stack file).
        const stray = res("urn:pulumi:dev::acme::auth0:index/client:Client::x", "auth0:index/client:Client", STACK, {
            uri: "/tmp/generated.ts",
            line: 3,
        });
        expect(locateResources([stackRoot, stray], scope).has(stray.urn)).toBe(false);
    });

    it("consumer repo with the package vendored inside it: the package's src/ and dist/ are library code", () => {
        const pkg = `${REPO}/vendor/auth0-mcp`;
        const scope = { repoRoot: REPO, libraryDirs: libraryDirsFor(pkg, REPO) };
        const helper = res(
            "urn:pulumi:dev::acme::auth0:index/client:Client::h",
            "auth0:index/client:Client",
            STACK,
            { uri: `${pkg}/src/helpers.ts`, line: 4 },
            [
                { uri: `${pkg}/src/helpers.ts`, line: 4 },
                { uri: `${REPO}/index.ts`, line: 12 },
            ],
        );
        expect(locateResources([stackRoot, helper], scope).get(helper.urn)).toEqual({ file: "index.ts", line: 12 });
    });

    it("this package's own program: children of McpApi and TenantMcpSettings are at the call sites in src/program/stack.ts, found through the stack trace when the SDK reports no source position", () => {
        const pkg = "/work/auth0-mcp";
        const scope = { repoRoot: pkg, libraryDirs: libraryDirsFor(pkg, pkg) };
        expect(scope.libraryDirs).toEqual([path.join(pkg, "dist")]);
        const api = `urn:pulumi:dev::acme::${MCP_API_TYPE}::mcp`;
        const rs = `urn:pulumi:dev::acme::${MCP_API_TYPE}$auth0:index/resourceServer:ResourceServer::mcp-api`;
        const resources = [
            stackRoot,
            // `config.apis.map((args) => new McpApi(...))`: no source position; the stack trace has buildStack's frame.
            res(api, MCP_API_TYPE, STACK, undefined, [
                { uri: `${pkg}/src/program/stack.ts`, line: 67 },
                { uri: `${pkg}/src/program/index.ts`, line: 4 },
            ]),
            res(
                rs,
                "auth0:index/resourceServer:ResourceServer",
                api,
                { uri: `${pkg}/src/components/mcp-api/component.ts`, line: 56 },
                [
                    { uri: `${pkg}/src/components/mcp-api/component.ts`, line: 56 },
                    { uri: `${pkg}/src/program/stack.ts`, line: 67 },
                ],
            ),
            res(TENANT_COMPONENT, TENANT_MCP_SETTINGS_TYPE, STACK, { uri: `${pkg}/src/program/stack.ts`, line: 69 }),
            res(TENANT, "auth0:index/tenant:Tenant", TENANT_COMPONENT, {
                uri: `${pkg}/src/components/tenant/component.ts`,
                line: 56,
            }),
        ];
        const locations = locateResources(resources, scope);
        expect(locations.get(rs)).toEqual({ file: "src/program/stack.ts", line: 67 });
        expect(locations.get(api)).toEqual({ file: "src/program/stack.ts", line: 67 });
        expect(locations.get(TENANT)).toEqual({ file: "src/program/stack.ts", line: 69 });
    });

    it("a user's own component wrapping ours: the line in the user's component that constructs ours; user resources at their own line", () => {
        const scope = { repoRoot: REPO, libraryDirs: libraryDirsFor(`${REPO}/node_modules/auth0-mcp`, REPO) };
        const mine = "urn:pulumi:dev::acme::acme:index:Platform::platform";
        const ours = `urn:pulumi:dev::acme::acme:index:Platform$${TENANT_MCP_SETTINGS_TYPE}::acme`;
        const child = `urn:pulumi:dev::acme::acme:index:Platform$${TENANT_MCP_SETTINGS_TYPE}$auth0:index/tenant:Tenant::acme-tenant`;
        const raw = "urn:pulumi:dev::acme::acme:index:Platform$auth0:index/client:Client::portal";
        const locations = locateResources(
            [
                stackRoot,
                res(mine, "acme:index:Platform", STACK, { uri: `${REPO}/index.ts`, line: 3 }),
                res(ours, TENANT_MCP_SETTINGS_TYPE, mine, { uri: `${REPO}/platform.ts`, line: 20 }),
                res(child, "auth0:index/tenant:Tenant", ours),
                res(raw, "auth0:index/client:Client", mine, { uri: `${REPO}/platform.ts`, line: 31 }),
            ],
            scope,
        );
        expect(locations.get(child)).toEqual({ file: "platform.ts", line: 20 });
        expect(locations.get(raw)).toEqual({ file: "platform.ts", line: 31 });
        expect(locations.get(mine)).toEqual({ file: "index.ts", line: 3 });
    });
});
