/**
 * google.protobuf.Struct written straight to protobuf bytes from a plain value, byte for byte what
 * `Struct.fromJavaScript(v).serializeBinary()` of google-protobuf 3.x writes (map keys sorted by UTF-16 code units,
 * every oneof member written even when it is a default, NaN as jspb's canonical NaN, strings with jspb's UTF-8
 * encoder), without building the message tree: for thousands of resources the tree and its garbage dominated the
 * check's own CPU time. test/check/struct-wire.test.ts compares the bytes with google-protobuf's.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

/** jspb BinaryEncoder.writeString: a high surrogate not followed by a low one is dropped, a lone low one kept as 3 bytes. */
function jspbUtf8(s: string): Buffer {
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
        let c = s.charCodeAt(i);
        if (c < 0x80) {
            out.push(c);
        } else if (c < 0x800) {
            out.push((c >> 6) | 0xc0, (c & 63) | 0x80);
        } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const next = s.charCodeAt(i + 1);
            if (next >= 0xdc00 && next <= 0xdfff) {
                c = 1024 * (c - 0xd800) + next - 0xdc00 + 0x10000;
                out.push((c >> 18) | 0xf0, ((c >> 12) & 63) | 0x80, ((c >> 6) & 63) | 0x80, (c & 63) | 0x80);
                i++;
            }
        } else {
            out.push((c >> 12) | 0xe0, ((c >> 6) & 63) | 0x80, (c & 63) | 0x80);
        }
    }
    return Buffer.from(out);
}

function varintSize(n: number): number {
    let size = 1;
    while (n >= 0x80) {
        n = Math.floor(n / 128);
        size++;
    }
    return size;
}

/** Bytes of a length-delimited field: tag byte, length, content. */
function delimited(content: number): number {
    return 1 + varintSize(content) + content;
}

function unexpected(): Error {
    // google-protobuf's own message for a value Struct cannot hold (undefined, a function, a symbol, a bigint).
    return new Error("Unexpected struct type.");
}

/**
 * Encodes in two passes: the first computes every length prefix (pre-order slots in `sizes`), sorted key lists and
 * the bytes of strings with surrogates; the second writes into one buffer of the exact size.
 */
class StructWriter {
    private sizes: number[] = [];
    private keyLists: string[][] = [];
    private odd = new Map<string, Buffer>();
    private buf: Buffer = Buffer.alloc(0);
    private pos = 0;
    private sizeAt = 0;
    private keysAt = 0;

    private strSize(s: string): number {
        if (!SURROGATE.test(s)) return Buffer.byteLength(s, "utf8");
        let b = this.odd.get(s);
        if (!b) {
            b = jspbUtf8(s);
            this.odd.set(s, b);
        }
        return b.length;
    }

    /** Content size of a Struct. */
    private structSize(obj: object): number {
        const keys: string[] = [];
        // jspb's Map keeps entries in a plain object, where a `__proto__` key sets the prototype and is never written.
        for (const k in obj) if (k !== "__proto__") keys.push(k);
        keys.sort();
        this.keyLists.push(keys);
        const slot = this.sizes.push(0) - 1;
        let total = 0;
        for (const k of keys) {
            const entrySlot = this.sizes.push(0) - 1;
            const kl = this.strSize(k);
            const vs = this.valueSize((obj as Record<string, unknown>)[k]);
            const entry = delimited(kl) + delimited(vs);
            this.sizes[entrySlot] = entry;
            total += delimited(entry);
        }
        this.sizes[slot] = total;
        return total;
    }

    /** Content size of a Value. */
    private valueSize(v: unknown): number {
        switch (typeof v) {
            case "string":
                return delimited(this.strSize(v));
            case "number":
                return 9;
            case "boolean":
                return 2;
            case "object": {
                if (v === null) return 2;
                if (Array.isArray(v)) {
                    const slot = this.sizes.push(0) - 1;
                    let total = 0;
                    for (let i = 0; i < v.length; i++) {
                        const itemSlot = this.sizes.push(0) - 1;
                        const s = this.valueSize(v[i]);
                        this.sizes[itemSlot] = s;
                        total += delimited(s);
                    }
                    this.sizes[slot] = total;
                    return delimited(total);
                }
                return delimited(this.structSize(v));
            }
            default:
                throw unexpected();
        }
    }

    private byte(b: number): void {
        this.buf[this.pos++] = b;
    }

    private varint(n: number): void {
        while (n >= 0x80) {
            this.buf[this.pos++] = (n & 0x7f) | 0x80;
            n = Math.floor(n / 128);
        }
        this.buf[this.pos++] = n;
    }

    private str(s: string): void {
        const odd = SURROGATE.test(s) ? this.odd.get(s) : undefined;
        if (odd) {
            this.varint(odd.length);
            odd.copy(this.buf, this.pos);
            this.pos += odd.length;
        } else {
            const n = Buffer.byteLength(s, "utf8");
            this.varint(n);
            this.pos += this.buf.write(s, this.pos, n, "utf8");
        }
    }

    private writeStruct(obj: object): void {
        const keys = this.keyLists[this.keysAt++];
        this.sizeAt++; // the struct's own size, already written by the caller when nested
        for (const k of keys) {
            this.byte(0x0a);
            this.varint(this.sizes[this.sizeAt++]);
            this.byte(0x0a);
            this.str(k);
            const v = (obj as Record<string, unknown>)[k];
            this.byte(0x12);
            this.varint(this.peekValueSize(v));
            this.writeValue(v);
        }
    }

    /** The content size of a Value about to be written (recomputed for scalars, taken from `sizes` for containers). */
    private peekValueSize(v: unknown): number {
        if (typeof v === "string") {
            const odd = SURROGATE.test(v) ? this.odd.get(v) : undefined;
            return delimited(odd ? odd.length : Buffer.byteLength(v, "utf8"));
        }
        if (typeof v === "number") return 9;
        if (typeof v === "boolean" || v === null) return 2;
        return delimited(this.sizes[this.sizeAt]);
    }

    private writeValue(v: unknown): void {
        if (typeof v === "string") {
            this.byte(0x1a);
            this.str(v);
        } else if (typeof v === "number") {
            this.byte(0x11);
            if (Number.isNaN(v)) {
                // jspb.utils.splitFloat64 writes NaN as 0x7FFFFFFF_FFFFFFFF.
                this.buf.writeUInt32LE(0xffffffff, this.pos);
                this.buf.writeUInt32LE(0x7fffffff, this.pos + 4);
                this.pos += 8;
            } else {
                this.pos = this.buf.writeDoubleLE(v, this.pos);
            }
        } else if (typeof v === "boolean") {
            this.byte(0x20);
            this.byte(v ? 1 : 0);
        } else if (v === null) {
            this.byte(0x08);
            this.byte(0);
        } else if (Array.isArray(v)) {
            this.byte(0x32);
            this.varint(this.sizes[this.sizeAt++]);
            for (let i = 0; i < v.length; i++) {
                this.byte(0x0a);
                this.varint(this.sizes[this.sizeAt++]);
                this.writeValue(v[i]);
            }
        } else {
            this.byte(0x2a);
            this.varint(this.sizes[this.sizeAt]);
            this.writeStruct(v as object);
        }
    }

    /** The serialized Struct of `obj`. */
    encode(obj: object): Buffer {
        this.sizes = [];
        this.keyLists = [];
        this.odd = new Map();
        const size = this.structSize(obj);
        this.buf = Buffer.allocUnsafe(size);
        this.pos = 0;
        this.sizeAt = 0;
        this.keysAt = 0;
        this.writeStruct(obj);
        if (this.pos !== size)
            throw new Error(`struct-wire: wrote ${this.pos} bytes of a ${size}-byte Struct (encoder bug)`);
        const out = this.buf;
        this.buf = Buffer.alloc(0);
        return out;
    }
}

const shared = new StructWriter();

/** `Struct.fromJavaScript(obj).serializeBinary()`, as a Buffer. */
export function structBytes(obj: object): Buffer {
    return shared.encode(obj);
}

/** A length-delimited field (`field` < 16): tag, length, `content`. */
export function field(fieldNumber: number, content: Buffer): Buffer {
    const head = Buffer.allocUnsafe(1 + varintSize(content.length));
    head[0] = (fieldNumber << 3) | 2;
    let n = content.length;
    let i = 1;
    while (n >= 0x80) {
        head[i++] = (n & 0x7f) | 0x80;
        n = Math.floor(n / 128);
    }
    head[i] = n;
    return Buffer.concat([head, content]);
}

/** A proto3 string field as generated code writes it: nothing when empty. */
export function stringField(fieldNumber: number, s: string): Buffer {
    return s.length > 0
        ? field(fieldNumber, SURROGATE.test(s) ? jspbUtf8(s) : Buffer.from(s, "utf8"))
        : Buffer.alloc(0);
}
