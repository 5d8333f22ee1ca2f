/** The JSON report's top-level keys in their documented order (docs/check.md "Formats"). */
export const JSON_REPORT_KEYS = [
    "project",
    "stack",
    "policyConfig",
    "outputsMode",
    "waivers",
    "remediations",
    "resources",
    "violations",
    "summary",
];
