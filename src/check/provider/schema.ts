/**
 * Resource schemas derived from the provider SDK the program itself installed (its pinned version), so the
 * checker's idea of "computed" follows provider upgrades instead of a hand-kept list.
 *
 * Bridged Node SDKs carry no schema.json; their generated declarations encode it (pulumi-terraform-bridge
 * pkg/tfgen, pulumi/pulumi pkg/codegen/nodejs gen.go): a class property typed `pulumi.Output<T>` (no
 * `| undefined`) is a required output, i.e. a Terraform attribute that is Required or Computed; the `<Class>Args`
 * interface says which of those the program must set. Required output + optional (or absent) input = computed.
 * Nested types follow the same rule in types/output.d.ts (`foo: T` vs `foo?: T`) against types/input.d.ts.
 * Declarations are parsed with the TypeScript parser only (no type checking), lazily, once per file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export type PropType =
    | { kind: "string" | "number" | "boolean" | "any" }
    | { kind: "array"; items: PropType }
    | { kind: "map"; values: PropType }
    /** A nested object type, named as in types/output.d.ts (namespaces joined by "."). */
    | { kind: "object"; name: string };

export interface PropSchema {
    type: PropType;
    /** The provider fills it in when the program leaves it out: unknown in the planned state of a create. */
    computed: boolean;
    /** The program must set it (an unset one fails the provider's Check). */
    required: boolean;
    /** The program can set it at all. */
    input: boolean;
}

export type Properties = ReadonlyMap<string, PropSchema>;

export interface ResourceSchema {
    token: string;
    /** The npm package and version the schema was read from. */
    pkg: { name: string; version: string; dir: string };
    properties: Properties;
    /** Properties of a nested object type; undefined when the package does not declare it. */
    objectType(name: string): Properties | undefined;
}

/** Why a type has no derived schema (its planned outputs are then the checked inputs). */
export class SchemaUnavailable extends Error {}

interface Declared {
    type: ts.TypeNode | undefined;
    optional: boolean;
}

/** The members of every interface/class of one declaration file, by (namespace-qualified) name, parsed on first use. */
interface DeclIndex {
    get(name: string): Map<string, Declared> | undefined;
}

const ANY: PropType = { kind: "any" };

export class ProviderSchemas {
    private readonly packages = new Map<string, { name: string; version: string; dir: string } | SchemaUnavailable>();
    private readonly files = new Map<string, DeclIndex>();
    private readonly resources = new Map<string, ResourceSchema | SchemaUnavailable>();

    constructor(private readonly programDir: string) {}

    /** The schema of a resource type token such as `auth0:index/tenant:Tenant`, or why there is none. */
    resource(token: string): ResourceSchema | SchemaUnavailable {
        let s = this.resources.get(token);
        if (!s) {
            try {
                s = this.load(token);
            } catch (e) {
                s =
                    e instanceof SchemaUnavailable
                        ? e
                        : new SchemaUnavailable(`could not read its declarations: ${(e as Error).message}`);
            }
            this.resources.set(token, s);
        }
        return s;
    }

    private pkg(pkgName: string): { name: string; version: string; dir: string } {
        let p = this.packages.get(pkgName);
        if (!p) {
            const npmName = `@pulumi/${pkgName}`;
            try {
                const file = require.resolve(`${npmName}/package.json`, { paths: [this.programDir] });
                const json = JSON.parse(fs.readFileSync(file, "utf8")) as {
                    version: string;
                    pulumi?: { name?: string };
                };
                p =
                    json.pulumi?.name && json.pulumi.name !== pkgName
                        ? new SchemaUnavailable(
                              `${npmName} declares Pulumi package '${json.pulumi.name}', not '${pkgName}'`,
                          )
                        : { name: npmName, version: json.version, dir: path.dirname(file) };
            } catch {
                p = new SchemaUnavailable(`${npmName} is not installed for the program`);
            }
            this.packages.set(pkgName, p);
        }
        if (p instanceof SchemaUnavailable) {
            throw p;
        }
        return p;
    }

    private load(token: string): ResourceSchema {
        const [pkgName, mod, className] = token.split(":");
        if (!pkgName || mod === undefined || !className) {
            throw new SchemaUnavailable(`'${token}' is not a resource type token`);
        }
        const pkg = this.pkg(pkgName);
        const file = declarationFile(pkg.dir, mod, className);
        // The generated class names its own token (`static __pulumiType = '<token>'`): proof the mapping is right.
        const js = file.replace(/\.d\.ts$/, ".js");
        if (!fs.existsSync(file) || !fs.existsSync(js) || !fs.readFileSync(js, "utf8").includes(`'${token}'`)) {
            throw new SchemaUnavailable(
                `${pkg.name}@${pkg.version} has no declaration for ${token} at ${path.relative(pkg.dir, file)}`,
            );
        }
        const decls = this.index(file);
        const outputs = decls.get(className);
        if (!outputs) {
            throw new SchemaUnavailable(`${path.relative(pkg.dir, file)} does not declare class ${className}`);
        }
        const args = decls.get(`${className}Args`) ?? new Map<string, Declared>();
        const typesDir = path.join(pkg.dir, "types");
        const properties = merge(outputs, args, (name) => !name.startsWith("__") && name !== "urn" && name !== "id");
        const objectTypes = new Map<string, Properties | undefined>();
        return {
            token,
            pkg,
            properties,
            objectType: (name) => {
                if (!objectTypes.has(name)) {
                    const out = this.index(path.join(typesDir, "output.d.ts")).get(name);
                    const inp = this.index(path.join(typesDir, "input.d.ts")).get(name);
                    objectTypes.set(name, out ? merge(out, inp ?? new Map(), () => true) : undefined);
                }
                return objectTypes.get(name);
            },
        };
    }

    private index(file: string): DeclIndex {
        let idx = this.files.get(file);
        if (!idx) {
            idx = indexDeclarations(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
            this.files.set(file, idx);
        }
        return idx;
    }
}

/**
 * `pkg:mod:Name` → the declaration file. Module `index` is the package root; a module with a slash names its
 * file last (`aws:s3/bucket:Bucket` → s3/bucket.d.ts); otherwise the file is the camel-cased class name.
 * Mirrors pulumi/pulumi pkg/codegen/nodejs gen.go (resource files are named after the token's module member).
 */
export function declarationFile(pkgDir: string, mod: string, className: string): string {
    const parts = mod.split("/");
    const last = parts.length > 1 ? parts.pop() : undefined;
    const file = last ?? className.charAt(0).toLowerCase() + className.slice(1);
    const dir = parts.filter((p) => p !== "index");
    return path.join(pkgDir, ...dir, `${file}.d.ts`);
}

/**
 * Splits a generated declaration file into its interface/class blocks by line (codegen writes one member per line
 * and closes a block with `}` at the block's own indentation) and parses a block only when it is asked for:
 * types/output.d.ts of a large provider is hundreds of kilobytes, of which a program needs a few interfaces.
 */
function indexDeclarations(text: string): DeclIndex {
    const blocks = new Map<string, string>();
    const parsed = new Map<string, Map<string, Declared>>();
    const lines = text.split("\n");
    const namespaces: Array<{ indent: string; name: string }> = [];
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const indent = line.match(/^\s*/)?.[0] ?? "";
        while (namespaces.length > 0 && line === `${namespaces[namespaces.length - 1].indent}}`) {
            namespaces.pop();
        }
        const ns = /^\s*(?:export\s+)?(?:declare\s+)?namespace\s+([\w$]+)\s*\{\s*$/.exec(line);
        if (ns) {
            namespaces.push({ indent, name: ns[1] });
            continue;
        }
        const decl = /^\s*(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:interface|class)\s+([\w$]+)\b.*\{\s*$/.exec(
            line,
        );
        if (!decl) {
            continue;
        }
        let end = i + 1;
        while (end < lines.length && lines[end] !== `${indent}}`) {
            end++;
        }
        const name = [...namespaces.map((n) => n.name), decl[1]].join(".");
        blocks.set(name, lines.slice(i, end + 1).join("\n"));
        i = end;
    }
    return {
        get(name) {
            let members = parsed.get(name);
            if (!members) {
                const block = blocks.get(name);
                if (block === undefined) {
                    return undefined;
                }
                members = membersOf(block);
                parsed.set(name, members);
            }
            return members;
        },
    };
}

function membersOf(block: string): Map<string, Declared> {
    const sf = ts.createSourceFile("block.d.ts", block, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const members = new Map<string, Declared>();
    for (const st of sf.statements) {
        if (!(ts.isInterfaceDeclaration(st) || ts.isClassDeclaration(st))) {
            continue;
        }
        for (const m of st.members) {
            if (
                !(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) ||
                !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))
            ) {
                continue;
            }
            if (ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
                continue;
            }
            members.set(m.name.text, { type: m.type, optional: Boolean(m.questionToken) });
        }
    }
    return members;
}

/** Output declarations + input declarations → property schemas. */
function merge(
    outputs: Map<string, Declared>,
    inputs: Map<string, Declared>,
    keep: (name: string) => boolean,
): Properties {
    const props = new Map<string, PropSchema>();
    for (const [name, out] of outputs) {
        if (!keep(name)) {
            continue;
        }
        const { type, optional } = typeOf(out.type);
        const inp = inputs.get(name);
        const required = Boolean(inp && !inp.optional && !typeOf(inp.type).optional);
        props.set(name, { type, computed: !out.optional && !optional && !required, required, input: Boolean(inp) });
    }
    return props;
}

/** Strips `pulumi.Output<…>`/`pulumi.Input<…>` and `| undefined`; maps the rest onto {@link PropType}. */
function typeOf(node: ts.TypeNode | undefined): { type: PropType; optional: boolean } {
    if (!node) {
        return { type: ANY, optional: true };
    }
    if (ts.isParenthesizedTypeNode(node)) {
        return typeOf(node.type);
    }
    if (ts.isUnionTypeNode(node)) {
        return unionTypeOf(node);
    }
    if (ts.isArrayTypeNode(node)) {
        return { type: { kind: "array", items: typeOf(node.elementType).type }, optional: false };
    }
    if (ts.isTypeLiteralNode(node)) {
        const index = node.members.find(ts.isIndexSignatureDeclaration);
        return { type: index ? { kind: "map", values: typeOf(index.type).type } : ANY, optional: false };
    }
    if (ts.isLiteralTypeNode(node)) {
        return literalTypeOf(node.literal);
    }
    switch (node.kind) {
        case ts.SyntaxKind.StringKeyword:
            return { type: { kind: "string" }, optional: false };
        case ts.SyntaxKind.NumberKeyword:
            return { type: { kind: "number" }, optional: false };
        case ts.SyntaxKind.BooleanKeyword:
            return { type: { kind: "boolean" }, optional: false };
    }
    const referenced = ts.isTypeReferenceNode(node) ? referenceTypeOf(node) : undefined;
    // enums.*, assets, unions of objects: left as they are.
    return referenced ?? { type: ANY, optional: false };
}

/** `T | undefined` is an optional T; a union of literals of one kind (`"a" | "b"`) is that kind; anything else is not coerced. */
function unionTypeOf(node: ts.UnionTypeNode): { type: PropType; optional: boolean } {
    const rest = node.types.filter((t) => !isUndefined(t));
    const optional = rest.length !== node.types.length;
    if (rest.length === 1) {
        const inner = typeOf(rest[0]);
        return { type: inner.type, optional: optional || inner.optional };
    }
    const kinds = new Set(rest.map((t) => typeOf(t).type.kind));
    const only = [...kinds][0];
    return {
        type: kinds.size === 1 && (only === "string" || only === "number" || only === "boolean") ? { kind: only } : ANY,
        optional,
    };
}

function literalTypeOf(l: ts.LiteralTypeNode["literal"]): { type: PropType; optional: boolean } {
    if (ts.isStringLiteral(l)) return { type: { kind: "string" }, optional: false };
    if (ts.isNumericLiteral(l)) return { type: { kind: "number" }, optional: false };
    if (l.kind === ts.SyntaxKind.TrueKeyword || l.kind === ts.SyntaxKind.FalseKeyword)
        return { type: { kind: "boolean" }, optional: false };
    return { type: ANY, optional: l.kind === ts.SyntaxKind.NullKeyword };
}

/** Output/Input/Promise wrappers, arrays, records and maps, and the provider's own object types; undefined for anything else. */
function referenceTypeOf(node: ts.TypeReferenceNode): { type: PropType; optional: boolean } | undefined {
    const name = entityName(node.typeName);
    const arg = node.typeArguments?.[0];
    if ((name === "pulumi.Output" || name === "pulumi.Input" || name === "Promise") && arg) {
        return typeOf(arg);
    }
    if (name === "Array" && arg) {
        return { type: { kind: "array", items: typeOf(arg).type }, optional: false };
    }
    if ((name === "Record" || name === "Map") && node.typeArguments?.[1]) {
        return { type: { kind: "map", values: typeOf(node.typeArguments[1]).type }, optional: false };
    }
    const [root, ...rest] = name.split(".");
    if ((root === "outputs" || root === "inputs") && rest.length > 0) {
        return { type: { kind: "object", name: rest.join(".") }, optional: false };
    }
    return undefined;
}

function isUndefined(t: ts.TypeNode): boolean {
    return (
        t.kind === ts.SyntaxKind.UndefinedKeyword ||
        (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword)
    );
}

function entityName(n: ts.EntityName): string {
    return ts.isIdentifier(n) ? n.text : `${entityName(n.left)}.${n.right.text}`;
}
