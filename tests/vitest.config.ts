import { testConfig } from "../vitest.shared.js";

export default testConfig({
  test: {
    include: ["**/*.test.ts"],
    // Every subgraph migrated once per run, in a database each file's graph is a copy of (src/template.ts).
    globalSetup: ["./src/template.ts"],
  },
});
