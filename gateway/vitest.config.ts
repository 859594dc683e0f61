import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 ships ESM (`module`) and CJS (`main`) without `exports`: Vite
    // would pick the ESM copy for our files while Node hands the CJS copy to
    // @apollo/server and armor, and a schema from one copy is foreign to the other.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["test/**/*.test.ts"],
  },
});
