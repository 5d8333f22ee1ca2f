/**
 * The outputs a stack policy sees for a resource being created, at preview: the provider's planned state.
 *
 * Engine: pkg/resource/deploy/step.go `CreateStep.Apply` calls the provider's Create with `Preview: DryRun` and
 * keeps its properties as the new state's outputs, which `AnalyzeStack` (step_generator.go) sends to the pack.
 * Bridge v3.133.0 pkg/tfbridge/provider.go `Provider.Create` with `preview`: `diff.ProposedState` → the planned
 * state of pkg/tfshim/sdk-v2/provider2.go `grpcServer.PlanResourceChange` (terraform-plugin-sdk
 * `GRPCProviderServer.PlanResourceChangeExtra`, whose `SetUnknowns` makes every null Computed attribute of a new
 * resource unknown, inside nested blocks too: unset `Tenant.flags` members are unknown when the program sets some)
 * → `MakeTerraformResult` (every attribute, null when unset and not computed; `id` included, unknown). No
 * `__defaults` there.
 */
import type { WireProperties } from "../types";
import type { PropSchema, PropType, Properties, ResourceSchema } from "./schema";
import { DEFAULTS_KEY } from "./check";
import { UNKNOWN, isPlainObject, isSecret, isSigned, isUnknown, mapSecret, type Plain } from "./wire";

export function plannedOutputs(checkedInputs: WireProperties, schema: ResourceSchema): WireProperties {
    const out = plannedObject(checkedInputs, schema.properties, schema) as Plain;
    out["id"] = UNKNOWN;
    return out;
}

function plannedObject(set: Plain, props: Properties, schema: ResourceSchema): Plain {
    const out: Plain = {};
    for (const [key, p] of props) {
        out[key] = key in set && set[key] !== undefined ? planned(set[key], p.type, schema) : unset(p);
    }
    // Values the schema does not declare are kept as given (the provider would have refused them at Check).
    for (const [key, v] of Object.entries(set)) {
        if (!(key in out) && key !== DEFAULTS_KEY) {
            out[key] = v;
        }
    }
    return out;
}

function unset(p: PropSchema): unknown {
    return p.computed ? UNKNOWN : null;
}

/** One value of the planned state of a create. */
export function planned(v: unknown, type: PropType, schema: ResourceSchema): unknown {
    if (v === null || isUnknown(v)) {
        return v;
    }
    if (isSecret(v)) {
        return mapSecret(v, (inner) => planned(inner, type, schema));
    }
    if (isSigned(v)) {
        return v;
    }
    if (type.kind === "boolean" && v === "") {
        return false; // Terraform decodes "" for a bool attribute as false (mapstructure weak decoding)
    }
    if (type.kind === "array" && Array.isArray(v)) {
        return v.map((e) => planned(e, type.items, schema));
    }
    if (type.kind === "object" && isPlainObject(v)) {
        const props = schema.objectType(type.name);
        if (props) {
            return plannedObject(v, props, schema);
        }
        const { [DEFAULTS_KEY]: _defaults, ...rest } = v;
        return rest;
    }
    return v;
}
