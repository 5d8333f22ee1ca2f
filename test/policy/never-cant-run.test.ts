/**
 * No rule of the pack may let @pulumi/policy's UnknownValueError escape: the pack's server would turn it into an
 * advisory "can't run … during preview", even for a mandatory rule. Every field of every fixture resource is made
 * unknown in turn — as a value taken from another resource (with a property dependency) and as a computed value the
 * program left unset (without one) — and every policy of the pack runs on the resulting stack.
 */
import { describe, expect, it } from "vitest";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { MCP_POLICIES } from "../../policy/registry";
import { apiScopes, clientCimd, connection, resourceServer, tenant, thirdPartyGrant } from "./fixtures";
import { UNKNOWN, runResourcePolicy, runStackPolicy, urnOf, type FakeResource } from "./helpers";
import { isStackPolicy } from "../../policy/lib/policy-kit";

const client: FakeResource = {
    type: AUTH0_TYPES.client,
    name: "web-app",
    props: {
        grantTypes: ["authorization_code", "refresh_token"],
        refreshToken: {
            expirationType: "expiring",
            rotationType: "rotating",
            tokenLifetime: 3600,
            infiniteTokenLifetime: false,
        },
    },
};

function stack(): FakeResource[] {
    return [
        tenant({
            defaultAudience: "https://mcp.dev.example.com/mcp",
            flags: { enableDynamicClientRegistration: true, removeAlgFromJwks: false },
        }),
        resourceServer(),
        apiScopes(),
        thirdPartyGrant(),
        connection(),
        clientCimd(),
        client,
    ];
}

/** Every dotted path to a leaf or list element of an object. */
function paths(value: unknown, prefix = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((item, i) => [`${prefix}.${i}`, ...paths(item, `${prefix}.${i}`)]);
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([key, item]) => {
            const path = prefix ? `${prefix}.${key}` : key;
            return [path, ...paths(item, path)];
        });
    }
    return [];
}

function withUnknown(props: Record<string, unknown>, path: string): Record<string, unknown> {
    const copy = structuredClone(props);
    const steps = path.split(".");
    let target: Record<string, unknown> = copy;
    for (const step of steps.slice(0, -1)) target = target[step] as Record<string, unknown>;
    target[steps[steps.length - 1]] = UNKNOWN.string;
    return copy;
}

describe("no rule degrades to can't-run on an unknown value", () => {
    it("holds for every field of every resource, unknown from another resource or computed", async () => {
        const escaped: string[] = [];
        const base = stack();
        for (const [index, resource] of base.entries()) {
            for (const path of paths(resource.props)) {
                for (const fromResource of [true, false]) {
                    const changed: FakeResource = { ...resource, props: withUnknown(resource.props, path) };
                    if (fromResource) changed.propertyDependencies = { [path.split(".")[0]]: [urnOf(base[0])] };
                    const resources = base.map((r, i) => (i === index ? changed : r));
                    for (const policy of MCP_POLICIES) {
                        const outcomes = isStackPolicy(policy)
                            ? [await runStackPolicy(policy, resources)]
                            : await Promise.all(resources.map((r) => runResourcePolicy(policy, r)));
                        for (const outcome of outcomes) {
                            if (outcome.previewAdvisory)
                                escaped.push(
                                    `${resource.name}.${path} (${fromResource ? "from a resource" : "computed"}): ${outcome.previewAdvisory}`,
                                );
                        }
                    }
                }
            }
        }
        expect(escaped).toEqual([]);
    });
});
