/**
 * One rule, three places: the offline check of a program that declares the issue's tenant and the audit of that
 * tenant live report the same problems under the same policy names, from the same pack.
 */
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runAudit } from "../../src/audit/audit";
import { runCheck } from "../../src/check/check";
import type { Violation } from "../../src/check/types";
import { CLIENT_ID, CLIENT_SECRET, startFakeManagementApi, type FakeManagementApi } from "./fake-management-api";
import { DOMAIN, issueTenant } from "./fixtures";
import { defined } from "../helpers/defined";

let api: FakeManagementApi;
beforeAll(async () => {
    api = await startFakeManagementApi(issueTenant());
});
afterAll(() => api?.close());

/** policy → the resource types it names. */
function byPolicy(violations: Violation[]): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const v of violations) (out[v.policy] ??= new Set()).add(defined(v.urn.split("::")[2], `a type in ${v.urn}`));
    return Object.fromEntries(Object.entries(out).map(([k, s]) => [k, [...s].sort()]));
}

it("the check of the program and the audit of the tenant name the three problems with the same policies", async () => {
    const [checked, audited] = await Promise.all([
        runCheck({ dir: path.join(__dirname, "program-issue"), stack: "dev" }),
        runAudit({
            env: {
                AUTH0_DOMAIN: DOMAIN,
                AUTH0_CLIENT_ID: CLIENT_ID,
                AUTH0_CLIENT_SECRET: CLIENT_SECRET,
                AUTH0_MCP_MANAGEMENT_BASE_URL: api.url,
            },
        }),
    ]);
    const check = byPolicy(checked.violations);
    const audit = byPolicy(audited.violations);
    const expected = {
        "third-party-client-governance": ["auth0:index/client:Client"],
        "approved-identity-providers": ["auth0:index/connection:Connection"],
        "promoted-connection-approval-recorded": ["auth0:index/connection:Connection"],
        "default-audience-requires-validation": ["auth0:index/tenant:Tenant"],
    };
    for (const [policy, types] of Object.entries(expected)) {
        expect(check[policy], `check: ${policy}`).toEqual(types);
        expect(audit[policy], `audit: ${policy}`).toEqual(types);
    }
    const messageOf = (vs: Violation[], policy: string) =>
        defined(
            vs.find((v) => v.policy === policy),
            `a ${policy} violation`,
        ).message;
    expect(messageOf(checked.violations, "default-audience-requires-validation")).toContain(
        'signingAlg "HS256" is not an allowed asymmetric algorithm',
    );
    expect(messageOf(audited.violations, "default-audience-requires-validation")).toContain(
        'signingAlg "HS256" is not an allowed asymmetric algorithm',
    );
});
