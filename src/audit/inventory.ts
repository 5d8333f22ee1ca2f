/**
 * The MCP client inventory: every third-party client of the tenant (registered through Dynamic Client Registration
 * or created as third-party by an admin) and every CIMD client, with what it may do and who answers for it.
 */
import { GOVERNANCE_KEYS, THIRD_PARTY_CLIENTS } from "../../policy/facts";
import type { LiveTenant } from "./management-reader";
import { isCimdClient, type ApiObject } from "./mapping";
import type { LiveStack } from "./resources";

interface InventoryApi {
    audience: string;
    /** Scopes granted; "all" when the grant allows every scope of the API. */
    scopes: string[] | "all";
    /** `client-grant`: a grant for this client; `default-grant`: the tenant's default grant for every third-party client. */
    via: "client-grant" | "default-grant";
    subjectType: string | null;
}

export interface InventoryEntry {
    clientId: string;
    name: string;
    /** `third-party`: isFirstParty false (every DCR client is one); `cimd`: registered by Client ID Metadata Document. */
    kind: "third-party" | "cimd";
    /** CIMD only: `admin` (Management API) or `client` (self-registered), as Auth0 reports it. */
    createdBy: string | null;
    /** CIMD only: the metadata document URL. */
    metadataUrl: string | null;
    /** The creation time when the Management API reports one; null when it does not (its client schema has none). */
    createdAt: string | null;
    grantTypes: string[];
    redirectUris: string[];
    apis: InventoryApi[];
    owner: string | null;
    approvalRef: string | null;
    reviewBy: string | null;
    /** The URN the policy violations name. */
    urn: string | null;
}

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

function text(v: unknown): string | null {
    return typeof v === "string" && v.trim() !== "" ? v : null;
}

function grantApi(grant: ApiObject, via: InventoryApi["via"]): InventoryApi {
    return {
        audience: String(grant["audience"] ?? ""),
        scopes: grant["allow_all_scopes"] === true ? "all" : strings(grant["scope"]),
        via,
        subjectType: text(grant["subject_type"]),
    };
}

export function buildInventory(live: LiveTenant, stack: LiveStack): InventoryEntry[] {
    const urnById = new Map([...stack.ids.entries()].map(([urn, id]) => [id, urn]));
    const defaults = live.clientGrants
        .filter((g) => g["default_for"] === THIRD_PARTY_CLIENTS)
        .map((g) => grantApi(g, "default-grant"));
    const grantsByClient = new Map<string, ApiObject[]>();
    for (const g of live.clientGrants) {
        if (g["default_for"] || typeof g["client_id"] !== "string") continue;
        const list = grantsByClient.get(g["client_id"]) ?? [];
        list.push(g);
        grantsByClient.set(g["client_id"], list);
    }
    const entries: InventoryEntry[] = [];
    for (const client of live.clients) {
        const cimd = isCimdClient(client);
        if (!cimd && client["is_first_party"] !== false) continue;
        if (client["global"] === true) continue;
        const clientId = String(client["client_id"] ?? "");
        const metadata = (
            typeof client["client_metadata"] === "object" && client["client_metadata"] !== null
                ? client["client_metadata"]
                : {}
        ) as ApiObject;
        const own = (grantsByClient.get(clientId) ?? []).map((g) => grantApi(g, "client-grant"));
        entries.push({
            clientId,
            name: String(client["name"] ?? ""),
            kind: cimd ? "cimd" : "third-party",
            createdBy: cimd ? text(client["external_metadata_created_by"]) : null,
            metadataUrl: cimd ? text(client["external_client_id"]) : null,
            createdAt: text(client["created_at"]),
            grantTypes: strings(client["grant_types"]),
            redirectUris: strings(client["callbacks"]),
            apis: [...own, ...defaults].sort(
                (a, b) => a.audience.localeCompare(b.audience) || a.via.localeCompare(b.via),
            ),
            owner: text(metadata[GOVERNANCE_KEYS.owner]),
            approvalRef: text(metadata[GOVERNANCE_KEYS.approvalRef]),
            reviewBy: text(metadata[GOVERNANCE_KEYS.reviewBy]),
            urn: urnById.get(clientId) ?? null,
        });
    }
    return entries.sort(
        (a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId),
    );
}
