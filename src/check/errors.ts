import * as path from "node:path";

/** A path as the user typed it relative to the working directory, when that is shorter. */
export function displayPath(p: string): string {
    if (!path.isAbsolute(p)) {
        return p;
    }
    const rel = path.relative(process.cwd(), p);
    return rel === ""
        ? "."
        : rel.startsWith("..") && rel.split(path.sep).filter((s) => s === "..").length > 2
          ? p
          : rel;
}

/**
 * An input the check cannot work with: a missing or malformed file, a program that throws, a policy pack that
 * does not load. The CLI turns it into exit status 2 and prints {@link CheckInputError.oneLine}.
 */
export class CheckInputError extends Error {
    /**
     * @param what  what is wrong, e.g. "no Pulumi.yaml"
     * @param where the file or directory concerned
     * @param fix   what the user can do about it
     */
    constructor(
        readonly what: string,
        readonly where: string,
        readonly fix: string,
    ) {
        super(`${what} (${displayPath(where)})${fix ? `: ${fix}` : ""}`);
        this.name = "CheckInputError";
    }

    /** The single line printed on stderr. */
    oneLine(): string {
        return this.message.replace(/\s*\n\s*/g, " ");
    }
}

/** The first line of an error's message, for one-line reports. */
export function firstLine(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    return (text.split("\n").find((l) => l.trim() !== "") ?? text).trim();
}
