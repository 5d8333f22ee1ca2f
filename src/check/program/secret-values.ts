import { Redactor, secretLeaves } from "../secrets";
import type { WireProperties } from "../types";

interface RegisterRequest {
    getObject(): { toJavaScript(): WireProperties } | undefined;
}

type Callback = (err: Error | null, resp?: unknown) => void;

/**
 * Collects every secret value the program sends in a registration (accepted or not: a provider Check failure
 * can quote the value it rejected), so the problems reported back never print one.
 */
export function watchSecretValues(monitor: Record<string, unknown>): { redactor(): Redactor } {
    const values = new Set<string>();
    const register = monitor["registerResource"] as (req: RegisterRequest, cb: Callback) => void;
    monitor["registerResource"] = (req: RegisterRequest, callback: Callback) => {
        try {
            for (const v of secretLeaves(req.getObject()?.toJavaScript() ?? {})) {
                values.add(v);
            }
        } finally {
            register.call(monitor, req, callback);
        }
    };
    return { redactor: () => new Redactor(values) };
}
