import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The event tests start a database (an embedded one takes a while on a busy machine) and reach NATS.
    hookTimeout: 60_000,
  },
});
