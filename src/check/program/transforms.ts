/**
 * Resource transforms (`pulumi.runtime.registerResourceTransform`, the `transforms` resource option,
 * `registerInvokeTransform`) are callbacks the engine calls while it registers each resource, so what the engine
 * records (and the policy pack judges) is what the transforms return. The offline check does not run them: a
 * program that uses them is refused, never judged on untransformed inputs. (Old-style `transformations` and
 * `registerStackTransformation` run inside the SDK before registration and need nothing from the check.)
 */
import { callSite, type ProblemLog } from "./problems";

const STACK_TRANSFORM_ENTRY_POINTS = [
    "registerResourceTransform",
    "registerStackTransform",
    "registerInvokeTransform",
] as const;

interface RegisterRequest {
    getTransformsList?(): unknown[];
    getType(): string;
    getName(): string;
    getSourceposition?(): { getUri(): string; getLine(): number } | undefined;
}

type Callback = (err: Error | null, resp?: unknown) => void;

const FIX =
    "the offline check cannot apply them; run `pulumi preview --policy-pack` for this program, or remove the transforms";

export function refuseTransforms(
    monitor: Record<string, unknown>,
    runtime: Record<string, unknown>,
    problems: ProblemLog,
    programDir: string,
    sourceOf: (req: RegisterRequest) => string | undefined,
): void {
    for (const name of STACK_TRANSFORM_ENTRY_POINTS) {
        const original = runtime[name];
        if (typeof original !== "function") {
            continue;
        }
        runtime[name] = function (this: unknown, ...args: unknown[]) {
            const site = callSite(programDir);
            problems.add({
                kind: "transform",
                message: `the program calls ${name}, a resource transform; ${FIX}`,
                ...(site ? { location: site } : {}),
            });
            return (original as (...a: unknown[]) => unknown).apply(this, args);
        };
    }
    // Backstop for a stack transform registered through an entry point not wrapped above.
    for (const method of ["registerStackTransform", "registerStackInvokeTransform"]) {
        monitor[method] = (_req: unknown, callback: Callback) => {
            if (!problems.problems.some((p) => p.kind === "transform")) {
                problems.add({
                    kind: "transform",
                    message: `the program registers a stack-wide resource transform; ${FIX}`,
                });
            }
            callback(null, {});
        };
    }
    const register = monitor["registerResource"] as (req: RegisterRequest, cb: Callback) => void;
    monitor["registerResource"] = (req: RegisterRequest, callback: Callback) => {
        const transforms = req.getTransformsList?.() ?? [];
        if (transforms.length > 0) {
            const site = sourceOf(req);
            problems.add({
                kind: "transform",
                message: `${req.getType()} "${req.getName()}" has the \`transforms\` resource option; ${FIX}`,
                ...(site ? { location: site } : {}),
            });
        }
        register.call(monitor, req, callback);
    };
}
