/** findDrift on hand-built program resources (wire form, as the checker records them) against a mapped live tenant. */
import { describe, expect, it } from "vitest";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { findDrift } from "../../src/audit/drift";
import type { LiveTenant } from "../../src/audit/management-reader";
import { toLiveStack } from "../../src/audit/resources";
import { UNKNOWN } from "../../src/check/provider/wire";
import { secretValue } from "../../src/check/secrets";
import type { RecordedResource } from "../../src/check/types";
import { DOMAIN, issueTenant } from "./fixtures";
import { customResource } from "../../src/check/recorded-resource";
import { defined } from "../helpers/defined";

function live(): ReturnType<typeof toLiveStack> {
    const t = issueTenant();
    const tenant: LiveTenant = { domain: DOMAIN, ...t, stats: { requests: 0, rateLimited: 0, waitedMs: 0 } };
    return toLiveStack(tenant, "3.49.0");
}

function declared(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
    return customResource({ urn: `urn:pulumi:prod::p::${type}::${name}`, type, name, version: "3.49.0", inputs });
}

const summary = (program: RecordedResource[]) =>
    findDrift(program, live())
        .map((d) => `${d.kind} ${d.property}: ${d.declared} -> ${d.live}`)
        .sort();

describe("drift", () => {
    it("a program that matches the tenant on every compared setting has no drift but the undeclared ones", () => {
        const program = [
            declared(AUTH0_TYPES.tenant, "tenant", {
                defaultAudience: "https://legacy-api.acme.example",
                resourceParameterProfile: "compatibility",
                clientIdMetadataDocumentSupported: true,
                flags: { enableDynamicClientRegistration: true, enableClientConnections: false },
            }),
            declared(AUTH0_TYPES.connection, "github", {
                name: "github",
                strategy: "github",
                isDomainConnection: true,
                metadata: {},
            }),
        ];
        expect(summary(program)).toEqual([]);
    });

    it("compares enum values without case and coerced scalars as the provider does", () => {
        const program = [
            declared(AUTH0_TYPES.tenant, "tenant", {
                defaultAudience: "https://legacy-api.acme.example",
                flags: { enableDynamicClientRegistration: "true" },
            }),
            declared(AUTH0_TYPES.resourceServer, "mcp", {
                identifier: "https://mcp.acme.example/mcp",
                tokenDialect: "RFC9068_PROFILE_AUTHZ",
                tokenLifetime: "3600",
            }),
        ];
        expect(summary(program).filter((s) => !s.startsWith("undeclared"))).toEqual([]);
    });

    it("reports a live-promoted connection the Tenant's stack does not declare at all, and a declared API the tenant lacks", () => {
        const tenant = declared(AUTH0_TYPES.tenant, "tenant", {
            defaultAudience: "https://legacy-api.acme.example",
            resourceParameterProfile: "compatibility",
            clientIdMetadataDocumentSupported: true,
            flags: { enableDynamicClientRegistration: true },
        });
        const api = declared(AUTH0_TYPES.resourceServer, "new", { identifier: "https://new.acme.example/mcp" });
        expect(summary([tenant, api])).toEqual([
            "missing identifier: https://new.acme.example/mcp -> null",
            "undeclared isDomainConnection: null -> true",
        ]);
    });

    it("leaves tenant-wide settings alone when the stack does not declare the Tenant (it is managed elsewhere)", () => {
        const api = declared(AUTH0_TYPES.resourceServer, "hs", {
            identifier: "https://legacy-api.acme.example",
            signingAlg: "RS256",
        });
        expect(summary([api])).toEqual(["changed signingAlg: RS256 -> HS256"]);
    });

    it("never treats a value unknown offline as equal, and never prints a secret", () => {
        const program = [
            declared(AUTH0_TYPES.tenant, "tenant", { defaultAudience: UNKNOWN }),
            declared(AUTH0_TYPES.connection, "github", {
                name: "github",
                strategy: "github",
                isDomainConnection: true,
                metadata: secretValue({ mcp_owner: "hidden-owner" }),
            }),
        ];
        const drift = findDrift(program, live());
        const unknown = defined(
            drift.find((d) => d.property === "defaultAudience"),
            "defaultAudience drift",
        );
        expect(unknown.kind).toBe("unknown");
        expect(unknown.message).toContain("cannot be compared offline");
        const owner = defined(
            drift.find((d) => d.property === "metadata.mcp_owner"),
            "metadata.mcp_owner drift",
        );
        expect(owner).toMatchObject({ kind: "changed", declared: "[secret]", live: null });
        expect(JSON.stringify(drift)).not.toContain("hidden-owner");
    });
});
