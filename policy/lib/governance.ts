export * from "../facts/governance"; // TODO(seam): remove once src/audit and src/check import policy/facts
