import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    // Each file starts its own graph on its own database; files run in parallel.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
