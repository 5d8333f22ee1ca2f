import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { CheckInputError } from "../errors";
import { shlexSplit } from "../pack-host";
import { isRecord } from "../project";

/** The Pulumi.yaml `runtime.options` the Node.js language host honours for running a program. */
interface NodeRuntimeOptions {
    /** `typescript: false` runs the program as JavaScript (no ts-node); default true. */
    typescript: boolean;
    /** `tsconfig`: the TypeScript config file the language host passes to ts-node (PULUMI_NODEJS_TSCONFIG_PATH). */
    tsconfig?: string;
    /** `nodeargs`: extra `node` arguments (e.g. `--require ./setup.js`), split as the language host splits them. */
    nodeargs: string[];
}

/** Reads them from the project file (already validated by loadProject); absent or malformed options are defaults. */
export function readNodeRuntimeOptions(projectFile: string): NodeRuntimeOptions {
    let doc: unknown;
    try {
        doc = yaml.load(fs.readFileSync(projectFile, "utf8"));
    } catch {
        return { typescript: true, nodeargs: [] };
    }
    const runtime = isRecord(doc) ? doc["runtime"] : undefined;
    const options = isRecord(runtime) && isRecord(runtime["options"]) ? runtime["options"] : {};
    const typescript = options["typescript"];
    const tsconfig = options["tsconfig"];
    const nodeargs = options["nodeargs"];
    let args: string[] = [];
    if (typeof nodeargs === "string") {
        try {
            args = shlexSplit(nodeargs);
        } catch (e) {
            throw new CheckInputError(
                `Pulumi.yaml runtime.options.nodeargs cannot be split: ${(e as Error).message}`,
                projectFile,
                "close the quote or escape in nodeargs",
            );
        }
    }
    return {
        typescript: typescript !== false && typescript !== "false",
        nodeargs: args,
        ...(typeof tsconfig === "string" && tsconfig !== "" ? { tsconfig: path.normalize(tsconfig) } : {}),
    };
}
