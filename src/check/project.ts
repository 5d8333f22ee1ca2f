import * as fs from "node:fs";
import * as path from "node:path";
import { CheckInputError, firstLine } from "./errors";
import { loadGoYaml } from "./go-yaml";

/** The parts of Pulumi.yaml the check needs. */
export interface ProjectFile {
    /** Absolute path of Pulumi.yaml. */
    file: string;
    dir: string;
    name: string;
    /** Absolute path of the program entry (file or directory), from `main` or the project directory. */
    main: string;
    /** Project-level config declarations (`config:` block), keyed as written. */
    config: Record<string, unknown>;
    /** Pulumi.yaml `description`, when set. */
    description?: string;
    /** Absolute directory of the stack files: Pulumi.yaml `stackConfigDir` (relative to it), else the project directory. */
    stackConfigDir: string;
}

/** Reads and checks `<dir>/Pulumi.yaml` (or `.yml`). */
export function loadProject(dir: string): ProjectFile {
    const file = findProjectFile(dir);
    const doc = readProjectMapping(file);
    const name = doc["name"];
    if (typeof name !== "string" || name === "") {
        throw new CheckInputError("Pulumi.yaml has no `name`", file, "add `name: <project>`");
    }
    requireNodejsRuntime(doc, file);
    const mainValue = doc["main"];
    if (mainValue !== undefined && typeof mainValue !== "string") {
        throw new CheckInputError(
            "Pulumi.yaml `main` is not a string",
            file,
            "set `main` to the program's entry file or directory",
        );
    }
    const main = path.resolve(dir, mainValue ?? ".");
    if (!fs.existsSync(main)) {
        throw new CheckInputError(`the program entry ${mainValue} does not exist`, file, "fix `main` in Pulumi.yaml");
    }
    const config = doc["config"];
    if (config !== undefined && config !== null && !isRecord(config)) {
        throw new CheckInputError(
            "Pulumi.yaml `config` is not a mapping",
            file,
            "declare config as `key: {type, default}`",
        );
    }
    const description = typeof doc["description"] === "string" ? doc["description"] : undefined;
    const stackConfigDir = doc["stackConfigDir"];
    if (stackConfigDir !== undefined && typeof stackConfigDir !== "string") {
        throw new CheckInputError(
            "Pulumi.yaml `stackConfigDir` is not a string",
            file,
            "set it to the directory of the Pulumi.<stack>.yaml files",
        );
    }
    return {
        file,
        dir,
        name,
        main,
        config: isRecord(config) ? config : {},
        ...(description !== undefined ? { description } : {}),
        stackConfigDir: path.resolve(dir, stackConfigDir ?? "."),
    };
}

function findProjectFile(dir: string): string {
    const candidates = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f));
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) {
        throw new CheckInputError(
            "no Pulumi.yaml",
            dir,
            "pass --dir pointing at a Pulumi program directory (one that contains Pulumi.yaml)",
        );
    }
    return file;
}

function readProjectMapping(file: string): Record<string, unknown> {
    let doc: unknown;
    try {
        doc = loadGoYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new CheckInputError(`Pulumi.yaml is not valid YAML: ${firstLine(e)}`, file, "fix the YAML syntax");
    }
    if (!isRecord(doc)) {
        throw new CheckInputError("Pulumi.yaml is not a YAML mapping", file, "write `name:` and `runtime:` keys");
    }
    return doc;
}

function requireNodejsRuntime(doc: Record<string, unknown>, file: string): void {
    const runtime = doc["runtime"];
    const runtimeName = isRecord(runtime) ? runtime["name"] : runtime;
    if (runtimeName !== "nodejs") {
        throw new CheckInputError(
            `Pulumi.yaml runtime is ${JSON.stringify(runtimeName ?? null)}, not nodejs`,
            file,
            "the offline check runs Node.js (TypeScript/JavaScript) programs only",
        );
    }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
