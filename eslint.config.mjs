// One linter for the repository: typescript-eslint's recommended rules plus the house rules of issue 11 —
// no `any`, no non-null assertions, and the import seams between the products:
// - src/ reaches the policy pack only through policy/facts (shared MCP facts, no Pulumi imports);
// - policy/ never imports src/; policy/facts imports nothing from Pulumi.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const seamMessage =
    "src/ may use the policy pack's code only through policy/facts (shared MCP facts); move the fact there or keep it on one side.";

export default tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "dist/**",
            "coverage/**",
            ".bench/**",
            "policy/bin/**",
            "policy/node_modules/**",
            "test/fixtures/**",
            "examples/*/node_modules/**",
            "examples/*/bin/**",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            globals: {
                process: "readonly",
                console: "readonly",
                require: "readonly",
                module: "writable",
                __dirname: "readonly",
                __filename: "readonly",
                Buffer: "readonly",
                setTimeout: "readonly",
                clearTimeout: "readonly",
                setInterval: "readonly",
                clearInterval: "readonly",
                setImmediate: "readonly",
                URL: "readonly",
                fetch: "readonly",
                AbortController: "readonly",
                TextEncoder: "readonly",
                TextDecoder: "readonly",
            },
        },
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-non-null-assertion": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        files: ["src/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [{ regex: "(^|/)policy/(?!facts(/|$))", message: seamMessage }],
                },
            ],
        },
    },
    {
        files: ["policy/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: "(^|/)src/",
                            message: "the policy pack never imports the components or the checker (src/).",
                        },
                    ],
                },
            ],
        },
    },
    {
        files: ["policy/facts/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: "^@pulumi/",
                            message:
                                "policy/facts holds plain MCP facts: no Pulumi imports, so components, pack and checker can share it.",
                        },
                        {
                            regex: "(^|/)src/",
                            message: "the policy pack never imports the components or the checker (src/).",
                        },
                        {
                            regex: "\\.\\./lib/",
                            message: "policy/facts must not depend on pack-only helpers in policy/lib.",
                        },
                    ],
                },
            ],
        },
    },
);
