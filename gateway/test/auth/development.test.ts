import { describe, expect, it } from "vitest";
import { isLoopback } from "../../src/auth/development.js";

describe("isLoopback", () => {
  it.each(["127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST", "::1", "::ffff:127.0.0.1"])("takes %s for this machine only", (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each(["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "fe80::1", "my-laptop", "localhost.example.com", "128.0.0.1"])(
    "takes %s for reachable from elsewhere",
    (host) => {
      expect(isLoopback(host)).toBe(false);
    },
  );
});
