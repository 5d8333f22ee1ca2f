/**
 * The live tenant as a stack the policy pack can judge: one RecordedResource per object, typed as the
 * @pulumi/auth0 resource that would manage it, with inputs = outputs = the mapped live state (what the engine sends
 * for an existing resource: prior state, every value known). All resources use the stack's default auth0 provider,
 * configured with the tenant's domain, so the pack sees one tenant.
 */
import * as fs from "node:fs";
import { AUTH0_TYPES } from "../../policy/facts";
import type { ConfigEntry, RecordedResource } from "../check/types";
import type { LiveTenant } from "./management-reader";
import {
    isCimdClient,
    mapClient,
    mapClientGrant,
    mapConnection,
    mapResourceServer,
    mapResourceServerScopes,
    mapTenant,
    type ApiObject,
} from "./mapping";
import { customResource } from "../check/recorded-resource";

const AUDIT_PROJECT = "auth0-tenant";

/** Objects the audit reads but does not judge, listed in every report (never dropped silently). */
export interface Excluded {
    kind: string;
    id: string;
    name: string;
    reason: string;
}

export interface LiveStack {
    project: string;
    /** The tenant domain, used as the stack name. */
    stack: string;
    config: ConfigEntry[];
    resources: RecordedResource[];
    /** URN → the Management API id of the object it stands for. */
    ids: Map<string, string>;
    excluded: Excluded[];
}

/** The installed @pulumi/auth0 version: the provider version the default provider is named after. */
function auth0PackageVersion(): string {
    return JSON.parse(fs.readFileSync(require.resolve("@pulumi/auth0/package.json"), "utf8")).version;
}

function str(v: unknown): string {
    return typeof v === "string" ? v : "";
}

/** A display name for a client: its name and its client_id (names are not unique in a tenant). */
function clientLabel(client: ApiObject): string {
    const name = str(client["name"]).trim();
    const id = str(client["client_id"]);
    return name ? `${name} (${id})` : id;
}

/** The resources of the live stack under URNs unique per type, the id behind each URN, and what was left out. */
class StackBuilder {
    readonly resources: RecordedResource[] = [];
    readonly ids = new Map<string, string>();
    readonly excluded: Excluded[] = [];
    private readonly used = new Set<string>();

    constructor(
        private readonly stack: string,
        private readonly version: string,
    ) {}

    add(type: string, name: string, id: string, props: ApiObject): void {
        // URN names must be unique per type; ":" pairs would break URN parsing.
        let unique = name.replace(/::/g, ": :") || id;
        for (let n = 2; this.used.has(`${type}::${unique}`); n++) unique = `${name} #${n}`;
        this.used.add(`${type}::${unique}`);
        const urn = `urn:pulumi:${this.stack}::${AUDIT_PROJECT}::${type}::${unique}`;
        this.ids.set(urn, id);
        this.resources.push(customResource({ urn, type, name: unique, version: this.version, inputs: props }));
    }
}

export function toLiveStack(live: LiveTenant, version = auth0PackageVersion()): LiveStack {
    const builder = new StackBuilder(live.domain, version);
    builder.add(AUTH0_TYPES.tenant, "tenant", live.domain, mapTenant(live.settings));
    addResourceServers(builder, live.resourceServers);
    const clientNames = addClients(builder, live.clients);
    addClientGrants(builder, live.clientGrants, clientNames);
    for (const connection of live.connections) {
        builder.add(AUTH0_TYPES.connection, str(connection["name"]), str(connection["id"]), mapConnection(connection));
    }
    return {
        project: AUDIT_PROJECT,
        stack: live.domain,
        config: [{ key: "auth0:domain", value: live.domain, secret: false }],
        resources: builder.resources,
        ids: builder.ids,
        excluded: builder.excluded,
    };
}

/** Each API the tenant defines, with its scopes resource when it has scopes; Auth0's system APIs are excluded. */
function addResourceServers(builder: StackBuilder, resourceServers: ApiObject[]): void {
    for (const api of resourceServers) {
        const identifier = str(api["identifier"]);
        if (api["is_system"] === true) {
            builder.excluded.push({
                kind: "ResourceServer",
                id: str(api["id"]),
                name: identifier,
                reason: "Auth0 system API (is_system), not an API the tenant defines",
            });
            continue;
        }
        builder.add(AUTH0_TYPES.resourceServer, identifier, str(api["id"]) || identifier, mapResourceServer(api));
        const scopes = mapResourceServerScopes(api);
        if (scopes) builder.add(AUTH0_TYPES.resourceServerScopes, identifier, str(api["id"]) || identifier, scopes);
    }
}

/**
 * Each application, typed as a CIMD client or a plain one; the global "All Applications" client is excluded.
 * Returns client_id → display label for every client read, the global one included, to name grants by.
 */
function addClients(builder: StackBuilder, clients: ApiObject[]): Map<string, string> {
    const clientNames = new Map<string, string>();
    for (const client of clients) {
        const id = str(client["client_id"]);
        clientNames.set(id, clientLabel(client));
        if (client["global"] === true) {
            builder.excluded.push({
                kind: "Client",
                id,
                name: str(client["name"]) || id,
                reason: 'the tenant\'s global "All Applications" client, not an application',
            });
            continue;
        }
        builder.add(
            isCimdClient(client) ? AUTH0_TYPES.clientCimd : AUTH0_TYPES.client,
            clientLabel(client),
            id,
            mapClient(client),
        );
    }
    return clientNames;
}

/** Each grant, named "<client or default> -> <audience>". */
function addClientGrants(builder: StackBuilder, grants: ApiObject[], clientNames: Map<string, string>): void {
    for (const grant of grants) {
        const clientId = str(grant["client_id"]);
        const who = str(grant["default_for"])
            ? `default for ${str(grant["default_for"])}`
            : (clientNames.get(clientId) ?? clientId);
        builder.add(
            AUTH0_TYPES.clientGrant,
            `${who} -> ${str(grant["audience"])}`,
            str(grant["id"]),
            mapClientGrant(grant),
        );
    }
}
