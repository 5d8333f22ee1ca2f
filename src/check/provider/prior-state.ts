/**
 * Prior state from `pulumi stack export` (`--state FILE`): for a resource the stack already has, the preview is an
 * update, not a create. Its planned outputs are the Terraform proposed new state: what the program sets, and for
 * every attribute it leaves out that the provider computes, the prior value (Terraform plans/objchange
 * ProposedNew, used by the bridge's PlanResourceChange for Diff/Update at preview); the ID is the prior ID.
 *
 * Values are read as the engine stores them (sdk/go/common/apitype, resource/stack/deployment.go): secrets are
 * `{sig, plaintext}` with `--show-secrets`, else `{sig, ciphertext}`, which cannot be decrypted here and so stay
 * unknown secrets; resource references become their ID or URN as for inputs.
 */
import * as fs from "node:fs";
import { CheckInputError } from "../errors";
import { SECRET_SIG, SIG_KEY, secretValue } from "../secrets";
import type { WireProperties } from "../types";
import type { PropType, Properties, ResourceSchema } from "./schema";
import { withoutResourceReferences } from "./references";
import { UNKNOWN, isPlainObject, isSecret, isUnknown, mapSecret, type Plain } from "./wire";
import { DEFAULTS_KEY } from "./check";
import { planned } from "./planned-outputs";

interface PriorResource {
    type: string;
    id: string;
    inputs: WireProperties;
    outputs: WireProperties;
}

/** By URN. Plain data: crosses IPC to the program child. */
export type PriorState = Record<string, PriorResource>;

export function readPriorStateFile(file: string, stack: string, project: string): PriorState {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        const why =
            (e as NodeJS.ErrnoException).code === "ENOENT"
                ? "does not exist"
                : `is not valid JSON: ${(e as Error).message}`;
        throw new CheckInputError(
            `the state file ${why}`,
            file,
            "pass --state the output of `pulumi stack export --file FILE`",
        );
    }
    return parsePriorState(doc, file, stack, project);
}

export function parsePriorState(doc: unknown, file: string, stack: string, project: string): PriorState {
    const fix =
        "pass --state the output of `pulumi stack export --stack <stack> --file FILE` (add --show-secrets to let rules read secret outputs)";
    const deployment = isPlainObject(doc) ? doc["deployment"] : undefined;
    const resources = isPlainObject(deployment) ? deployment["resources"] : undefined;
    if (!isPlainObject(doc) || !isPlainObject(deployment) || !(resources === undefined || Array.isArray(resources))) {
        throw new CheckInputError(
            "the state file is not a `pulumi stack export` document (no deployment.resources)",
            file,
            fix,
        );
    }
    const out: PriorState = {};
    for (const [i, r] of (resources ?? []).entries()) {
        if (!isPlainObject(r) || typeof r["urn"] !== "string" || typeof r["type"] !== "string") {
            throw new CheckInputError(`deployment.resources[${i}] has no urn or type`, file, fix);
        }
        const urn = r["urn"];
        const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
        if (!m || m[1] !== stack || m[2] !== project) {
            throw new CheckInputError(
                `the state file holds ${urn}, which is not a resource of stack '${stack}' of project '${project}'`,
                file,
                `export the state of this stack: pulumi stack export --stack ${stack} --file FILE`,
            );
        }
        if (r["delete"] === true || r["custom"] !== true) {
            continue; // pending deletion, or a component (its outputs come from the program)
        }
        out[urn] = {
            type: r["type"],
            id: typeof r["id"] === "string" ? r["id"] : "",
            inputs: fromState(r["inputs"] ?? {}) as WireProperties,
            outputs: fromState(r["outputs"] ?? {}) as WireProperties,
        };
    }
    return out;
}

/** State encoding → wire encoding. */
function fromState(v: unknown): unknown {
    if (isPlainObject(v) && v[SIG_KEY] === SECRET_SIG) {
        if (typeof v["plaintext"] === "string") {
            try {
                return secretValue(fromState(JSON.parse(v["plaintext"])));
            } catch {
                return secretValue(UNKNOWN);
            }
        }
        return secretValue(UNKNOWN);
    }
    if (Array.isArray(v)) {
        return v.map(fromState);
    }
    if (isPlainObject(v) && !(SIG_KEY in v)) {
        return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fromState(e)]));
    }
    return withoutResourceReferences(v);
}

/**
 * Planned outputs of an update: the checked inputs, and for what they leave out, the prior value of a computed
 * property (null for one the provider does not compute); nested blocks merged the same way.
 */
export function plannedUpdate(
    checkedInputs: WireProperties,
    prior: PriorResource,
    schema: ResourceSchema,
): WireProperties {
    const out = merge(checkedInputs, prior.outputs, schema.properties, schema) as Plain;
    out["id"] = prior.id || UNKNOWN;
    return out;
}

function merge(set: Plain, old: Plain, props: Properties, schema: ResourceSchema): Plain {
    const out: Plain = {};
    for (const [key, p] of props) {
        const mine = set[key];
        const before = key in old ? old[key] : UNKNOWN;
        out[key] = mine !== undefined ? mergeValue(mine, before, p.type, schema) : p.computed ? before : null;
    }
    for (const [key, v] of Object.entries(set)) {
        if (!(key in out) && key !== DEFAULTS_KEY) {
            out[key] = v;
        }
    }
    return out;
}

function mergeValue(mine: unknown, before: unknown, type: PropType, schema: ResourceSchema): unknown {
    if (isSecret(mine)) {
        return mapSecret(mine, (inner) => mergeValue(inner, isSecret(before) ? before.value : before, type, schema));
    }
    if (type.kind === "object" && isPlainObject(mine) && !isUnknown(mine)) {
        const props = schema.objectType(type.name);
        const priorObj = isSecret(before) ? before.value : before;
        if (props) {
            return merge(mine, isPlainObject(priorObj) ? priorObj : {}, props, schema);
        }
    }
    return planned(mine, type, schema);
}
