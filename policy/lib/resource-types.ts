export * from "../facts/resource-types"; // TODO(seam): remove once src/audit and src/check import policy/facts
