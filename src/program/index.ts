// Program entry named by Pulumi.yaml. The exported object becomes the stack outputs.
import { buildStack } from "./stack";

export = buildStack();
