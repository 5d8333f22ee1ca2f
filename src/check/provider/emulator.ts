/**
 * What the engine and the provider do with one resource registration at the preview of a create, before a
 * policy sees it: resource references become IDs/URNs, the provider's Check turns the inputs into checked inputs
 * (or fails the preview), and the provider's Create(preview) plans the outputs.
 */
import { secretValue } from "../secrets";
import type { WireProperties } from "../types";
import { rulesFor } from "./auth0-rules";
import { checkFailureMessage, providerCheck } from "./check";
import { plannedOutputs } from "./planned-outputs";
import { plannedUpdate, type PriorState } from "./prior-state";
import { withoutResourceReferences } from "./references";
import { ProviderSchemas, SchemaUnavailable } from "./schema";
import { UNKNOWN, isSecret } from "./wire";

interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    inputs: WireProperties;
    /** The `additionalSecretOutputs` resource option. */
    additionalSecretOutputs?: string[];
}

type Emulated =
    | {
          ok: true;
          inputs: WireProperties;
          outputs: WireProperties;
          /**
           * "derived": planned create from the provider's schema; "prior-state": planned update over the resource's
           * outputs in the `--state` file; "inputs-only": the outputs are the inputs (see note).
           */
          plannedOutputs: "derived" | "prior-state" | "inputs-only";
          note?: string;
      }
    | { ok: false; message: string };

export class ProviderEmulator {
    private readonly schemas: ProviderSchemas;

    constructor(
        programDir: string,
        private readonly prior: PriorState = {},
    ) {
        this.schemas = new ProviderSchemas(programDir);
    }

    register(reg: Registration): Emulated {
        const inputs = withoutResourceReferences(reg.inputs);
        if (!reg.custom) {
            return { ok: true, inputs, outputs: {}, plannedOutputs: "derived" };
        }
        if (reg.type.startsWith("pulumi:providers:")) {
            // The engine creates provider resources itself and returns their configuration as their outputs
            // (pkg/resource/deploy/providers/registry.go `Registry.Create`).
            return { ok: true, inputs, outputs: inputs, plannedOutputs: "derived" };
        }
        // A resource the state holds under the same URN and type is an update; anything else is a create.
        const held = Object.prototype.hasOwnProperty.call(this.prior, reg.urn) ? this.prior[reg.urn] : undefined;
        const old = held?.type === reg.type ? held : undefined;
        const schema = this.schemas.resource(reg.type);
        if (schema instanceof SchemaUnavailable && old) {
            return {
                ok: true,
                inputs,
                outputs: markSecret(
                    { ...old.outputs, ...inputs, id: old.id || UNKNOWN },
                    reg.additionalSecretOutputs ?? [],
                ),
                plannedOutputs: "inputs-only",
                note: `no schema for ${reg.type} (${schema.message}): its outputs are its prior outputs overlaid with its inputs`,
            };
        }
        if (schema instanceof SchemaUnavailable) {
            return {
                ok: true,
                inputs,
                outputs: markSecret(inputs, reg.additionalSecretOutputs ?? []),
                plannedOutputs: "inputs-only",
                note: `no schema for ${reg.type} (${schema.message}): its outputs at preview are approximated by its inputs; properties the provider computes are missing instead of unknown`,
            };
        }
        const checked = providerCheck(
            { urn: reg.urn, type: reg.type, name: reg.name, inputs },
            schema,
            rulesFor(reg.type.split(":")[0]),
            old?.inputs,
        );
        if (checked.failures.length > 0) {
            return { ok: false, message: checkFailureMessage(reg, checked.failures) };
        }
        const planned = old ? plannedUpdate(checked.inputs, old, schema) : plannedOutputs(checked.inputs, schema);
        const outputs = markSecret(planned, reg.additionalSecretOutputs ?? []);
        return { ok: true, inputs: checked.inputs, outputs, plannedOutputs: old ? "prior-state" : "derived" };
    }
}

/**
 * The engine makes each listed output secret once the step ran, unknown or null ones included; never `id`
 * (pkg/resource/deploy/step_executor.go, the `AdditionalSecretOutputs` loop).
 */
function markSecret(outputs: WireProperties, keys: string[]): WireProperties {
    const out = { ...outputs };
    for (const k of keys) {
        if (k !== "id" && k in out && !isSecret(out[k])) {
            out[k] = secretValue(out[k]);
        }
    }
    return out;
}
