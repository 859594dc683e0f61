import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (its `main`) for everyone, Apollo's packages
    // included; vitest would hand ESM importers the `.mjs` build, and two copies of
    // graphql refuse each other's schemas.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    // The event tests start a database (an embedded one takes a while on a busy machine) and reach NATS.
    hookTimeout: 60_000,
  },
});
