import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (its `main`) for everyone, the CommonJS
    // gateway included; vitest would hand ESM importers the `.mjs` build, and two
    // copies of graphql refuse each other's schemas.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["**/*.test.ts"],
    // Each file starts its own graph on its own database; files run in parallel.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
