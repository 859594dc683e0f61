import { testConfig } from "../vitest.shared.js";

export default testConfig({
  test: {
    include: ["test/**/*.test.ts"],
  },
});
