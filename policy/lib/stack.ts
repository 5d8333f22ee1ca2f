/** Helpers for stack policies, which see every resource's outputs at once. */
import type { PolicyResource } from "@pulumi/policy";

export function resourcesOfType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((resource) => resource.type === type);
}
