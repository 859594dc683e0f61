import { defineConfig, mergeConfig, type ViteUserConfig } from "vitest/config";

const SOURCE_CONDITIONS = ["@aftersales/source", "node", "development|production"];

/**
 * What every package's tests share: one copy of graphql, time enough for a
 * busy machine, and failures told in full. Each package's vitest.config.ts
 * starts from this and adds its own.
 */
export function testConfig(own: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(
    defineConfig({
      resolve: {
        // graphql 16 ships ESM (`module`) and CommonJS (`main`) without `exports`: Node hands
        // the CommonJS copy to everyone (Apollo's packages, the gateway), vitest would hand
        // ESM importers the `.mjs` one, and two copies of graphql refuse each other's schemas.
        alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
      },
      // The graph's own packages from their TypeScript sources, not their build (dist/, which
      // only the production image runs): vitest's own conditions for Node, plus the one their
      // package.json "exports" name the sources by, in every environment vitest makes (the
      // tests' and their global setup's).
      plugins: [{ name: "aftersales-sources", configEnvironment: () => ({ resolve: { conditions: SOURCE_CONDITIONS } }) }],
      test: {
        // Timeouts catch a test that hangs, never a slow one: speed is for the benchmarks
        // (`npm run bench`). Waits give up sooner on their own (kit's waitUntil, 60 s),
        // saying what they waited for. A file's setup may seed a whole dataset (the demo's).
        testTimeout: 300_000,
        hookTimeout: 300_000,
        // A failed assertion shows the values it compared in full, not cut off after 40 characters.
        chaiConfig: { truncateThreshold: 0 },
      },
    }),
    own,
  );
}
