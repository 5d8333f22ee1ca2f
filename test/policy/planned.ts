/**
 * Planned outputs for the policy tests: what a real `pulumi preview` of a new stack sends AnalyzeStack — the
 * checker's own derivation (src/check/provider/planned-outputs.ts) from the installed @pulumi/auth0.
 */
import { plannedOutputs as derive } from "../../src/check/provider/planned-outputs";
import { SchemaUnavailable } from "../../src/check/provider/schema";
import { schemas } from "../helpers/provider-schemas";

export function plannedOutputs(type: string, props: Record<string, unknown>): Record<string, unknown> {
    const schema = schemas.resource(type);
    return schema instanceof SchemaUnavailable ? props : derive(props, schema);
}
