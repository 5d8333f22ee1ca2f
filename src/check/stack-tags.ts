/**
 * The stack tags a `pulumi preview` sends the pack (AnalyzerStackConfigureRequest.tags, from the backend's stack
 * tags). Derived here the way pkg/backend/stack.go GetEnvironmentTagsForCurrentStack derives the tags the CLI
 * stores on a Pulumi Cloud stack at every update: `pulumi:project`, `pulumi:runtime`, `pulumi:description` from
 * Pulumi.yaml, each entry of the `pulumi:tags` config object, and `vcs:root` (the project directory relative to
 * its git work tree). `vcs:owner`, `vcs:repo`, `vcs:kind` (from the git remote) and tags set with
 * `pulumi stack tag set` are not derived: pass them with `--tag`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckInputError } from "./errors";
import type { ProjectFile } from "./project";
import type { ConfigEntry } from "./types";

export function environmentTags(
    project: ProjectFile,
    config: ConfigEntry[],
    stackFile: string,
): Record<string, string> {
    const tags: Record<string, string> = {
        "pulumi:project": project.name,
        "pulumi:runtime": "nodejs",
    };
    if (project.description !== undefined) {
        tags["pulumi:description"] = project.description;
    }
    const configured = config.find((e) => e.key === "pulumi:tags");
    if (configured) {
        const invalid = (what: string) =>
            new CheckInputError(
                `the preview would fail: ${what}`,
                stackFile,
                "write pulumi:tags as a mapping of tag names to strings",
            );
        let obj: unknown;
        try {
            obj = JSON.parse(configured.value);
        } catch {
            throw invalid("pulumi:tags must be an object of strings");
        }
        if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
            throw invalid("pulumi:tags must be an object of strings");
        }
        for (const [name, value] of Object.entries(obj)) {
            if (typeof value !== "string") {
                throw invalid(`pulumi:tags[${name}] must be a string`);
            }
            tags[name] = value;
        }
    }
    for (let dir = path.resolve(project.dir); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, ".git"))) {
            tags["vcs:root"] = path.relative(dir, project.dir).split(path.sep).join("/") || ".";
            break;
        }
        if (path.dirname(dir) === dir) {
            break;
        }
    }
    return tags;
}
