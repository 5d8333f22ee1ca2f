/** The checker's schema derivation over this repository's installed @pulumi/auth0, shared by the tests. */
import * as path from "node:path";
import { ProviderSchemas, SchemaUnavailable, type ResourceSchema } from "../../src/check/provider/schema";

export const schemas = new ProviderSchemas(path.resolve(__dirname, "../.."));

/** The schema of a resource type token; throws when it cannot be derived. */
export function schemaOf(token: string): ResourceSchema {
    const schema = schemas.resource(token);
    if (schema instanceof SchemaUnavailable) throw schema;
    return schema;
}
