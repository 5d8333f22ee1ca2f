/**
 * YAML read the way the Pulumi CLI reads Pulumi.yaml and Pulumi.<stack>.yaml: gopkg.in/yaml.v3 (v3.0.1) decoding
 * into `any`. js-yaml's schemas resolve plain scalars differently (a date stays a string or becomes a Date, `0755`
 * is 755, `1_000` is a string), so plain scalars here go through one resolver that follows yaml.v3's `resolve`
 * (resolve.go) instead. Quoted scalars are always strings, as in yaml.v3.
 *
 * A plain timestamp decodes to a Go `time.Time`; the CLI then stores it as config text with `time.Time.String()`
 * (sdk/go/common/resource/config/object.go, unmarshalObject), e.g. `2027-06-30` → "2027-06-30 00:00:00 +0000 UTC".
 */
import * as yaml from "js-yaml";

/** A plain scalar yaml.v3 resolves to a float the CLI cannot store as JSON (`.inf`, `.nan`). */
export class NonFiniteFloat {
    constructor(readonly text: string) {}
}

/** A plain integer outside JavaScript's exact range; kept as text so nothing is rounded silently. */
export class WideInteger {
    constructor(readonly text: string) {}
}

/** A timestamp with a numeric UTC offset: Go names its zone after the CLI machine's local zone, so it is not portable. */
export class OffsetTimestamp {
    constructor(readonly text: string) {}
}

const SPECIAL: Record<string, unknown> = {
    true: true,
    True: true,
    TRUE: true,
    false: false,
    False: false,
    FALSE: false,
    "": null,
    "~": null,
    null: null,
    Null: null,
    NULL: null,
    ".nan": NaN,
    ".NaN": NaN,
    ".NAN": NaN,
    ".inf": Infinity,
    ".Inf": Infinity,
    ".INF": Infinity,
    "+.inf": Infinity,
    "+.Inf": Infinity,
    "+.INF": Infinity,
    "-.inf": -Infinity,
    "-.Inf": -Infinity,
    "-.INF": -Infinity,
};

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt/ParseUint with base 0 (sign, 0x/0o/0b prefixes, leading-0 octal), as exact BigInt. */
function parseGoInt(s: string): bigint | undefined {
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
    if (!m) {
        return undefined;
    }
    const digits = m[2] ?? ""; // group 2 is not optional: a match always has it
    let v: bigint;
    if (/^0[xXoObB]/.test(digits)) {
        v = BigInt(`0${digits.charAt(1).toLowerCase()}${digits.slice(2)}`);
    } else if (digits.length > 1 && digits.startsWith("0")) {
        v = BigInt(`0o${digits.slice(1)}`);
    } else {
        v = BigInt(digits);
    }
    if (m[1] === "-") {
        v = -v;
    }
    // int64 or (non-negative) uint64, else ParseInt/ParseUint fail and yaml.v3 tries a float.
    if (v < -(2n ** 63n) || v >= 2n ** 64n || (m[1] === "-" && v >= 2n ** 63n)) {
        return undefined;
    }
    return v;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * yaml.v3's parseTimestamp: the formats `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999`
 * and `2006-1-2`, parsed as Go's time.Parse would. Returns Go's `time.Time.String()` of the result.
 */
function goTimestamp(s: string): string | OffsetTimestamp | undefined {
    const m =
        /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,9}))?))?$/.exec(
            s,
        );
    if (!m) {
        return undefined;
    }
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (
        month < 1 ||
        month > 12 ||
        day < 1 ||
        day > (month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31))
    ) {
        return undefined;
    }
    const hour = Number(m[5] ?? m[10] ?? 0);
    const minute = Number(m[6] ?? m[11] ?? 0);
    const second = Number(m[7] ?? m[12] ?? 0);
    if (hour > 23 || minute > 59 || second > 59) {
        return undefined;
    }
    const zone = m[9];
    if (zone && zone !== "Z") {
        const [hh, mm] = zone.slice(1).split(":").map(Number) as [number, number];
        if (hh > 23 || mm > 59) {
            return undefined;
        }
        return new OffsetTimestamp(s);
    }
    // time.Parse takes at most nine fractional digits (more is not a timestamp); String() drops trailing zeros.
    const fraction = (m[8] ?? m[13] ?? "").replace(/0+$/, "");
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}${fraction ? `.${fraction}` : ""} +0000 UTC`;
}

/** yaml.v3's `resolve("", in)` for a plain scalar, as the JavaScript value the CLI ends up with. */
function resolvePlainScalar(input: string): unknown {
    if (input in SPECIAL) {
        const v = SPECIAL[input];
        return typeof v === "number" ? new NonFiniteFloat(input) : v;
    }
    const hint = input.charAt(0);
    if (hint === ".") {
        return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(input) ? Number(input) : input;
    }
    if (!/^[-+0-9]/.test(hint)) {
        return input;
    }
    const ts = goTimestamp(input);
    if (ts !== undefined) {
        return ts;
    }
    const plain = input.replace(/_/g, "");
    const int = parseGoInt(plain);
    if (int !== undefined) {
        return Number.isSafeInteger(Number(int)) ? Number(int) : new WideInteger(int.toString());
    }
    if (YAML_STYLE_FLOAT.test(plain)) {
        // strconv.ParseFloat fails out of range (1e400): yaml.v3 then keeps the text.
        const f = Number(plain);
        return Number.isFinite(f) ? f : input;
    }
    return input;
}

/** One implicit type that takes every plain scalar and resolves it as yaml.v3 does. */
const goPlainScalar = new yaml.Type("tag:yaml.org,2002:go-plain", {
    kind: "scalar",
    resolve: (data: string | null) => data !== null,
    construct: (data: string | null) => resolvePlainScalar(data ?? ""),
});

/**
 * Failsafe (strings, sequences, mappings) + merge keys + the plain-scalar resolver. Quoted scalars never reach an
 * implicit type in js-yaml, so they stay strings.
 */
// js-yaml 4 exports its built-in types as `types`; @types/js-yaml does not declare it.
const builtin = (yaml as unknown as { types: Record<"merge" | "null" | "bool" | "int" | "float", yaml.Type> }).types;

const GO_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
    implicit: [builtin.merge, goPlainScalar],
    explicit: [builtin.null, builtin.bool, builtin.int, builtin.float],
});

/** Parses a YAML document as the Pulumi CLI does. */
export function loadGoYaml(text: string): unknown {
    return yaml.load(text, { schema: GO_YAML_SCHEMA });
}
