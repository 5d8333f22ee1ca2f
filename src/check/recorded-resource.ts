import type { RecordedResource } from "./types";

/**
 * A custom resource recorded with no resource option set, for resources the check makes itself (default providers,
 * the objects of a live tenant) and for tests. Outputs default to the inputs (an existing resource, or a provider).
 */
export function customResource(
    fields: Pick<RecordedResource, "urn" | "type" | "name"> & Partial<RecordedResource>,
): RecordedResource {
    const inputs = fields.inputs ?? {};
    return {
        custom: true,
        parent: "",
        dependencies: [],
        propertyDependencies: {},
        provider: "",
        version: "",
        inputs,
        outputs: inputs,
        options: {
            protect: false,
            ignoreChanges: [],
            additionalSecretOutputs: [],
            aliases: [],
            customTimeouts: { create: 0, update: 0, delete: 0 },
        },
        ...fields,
    };
}
