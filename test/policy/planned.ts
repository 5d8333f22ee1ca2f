/**
 * Planned outputs for the policy tests: what a real `pulumi preview` of a new stack sends AnalyzeStack. The inputs,
 * plus the unknown sentinel for every computed property the program left unset, nested objects too, as the
 * checker derives them from the installed @pulumi/auth0 (src/check/provider).
 */
import * as path from "node:path";
import { ProviderSchemas, SchemaUnavailable, type Properties } from "../../src/check/provider/schema";
import { UNKNOWN } from "../../src/check/provider/wire";

const schemas = new ProviderSchemas(path.resolve(__dirname, "../.."));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fill(props: Record<string, unknown>, properties: Properties, objectType: (name: string) => Properties | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...props };
  for (const [name, schema] of properties) {
    const value = out[name];
    if (value === undefined || value === null) {
      if (schema.computed) out[name] = UNKNOWN;
    } else if (schema.type.kind === "object" && isRecord(value)) {
      const nested = objectType(schema.type.name);
      if (nested) out[name] = fill(value, nested, objectType);
    }
  }
  return out;
}

export function plannedOutputs(type: string, props: Record<string, unknown>): Record<string, unknown> {
  const schema = schemas.resource(type);
  if (schema instanceof SchemaUnavailable) return props;
  return fill(props, schema.properties, (name) => schema.objectType(name));
}
