import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config.js";
import { standaloneSettings } from "../src/subgraph.js";

/** What every subgraph run on its own needs, whatever it is. */
const BASE = {
  DATABASE_URL: "postgres://aftersales@db:5432/aftersales_feedback",
  IDENTITY_JWKS: JSON.stringify({
    keys: [{ kty: "OKP", crv: "Ed25519", x: "wI40tlH2IEudNMXWoQCfKYYVO3ZqfkYd_ipf_BerltU", kid: "BzOUiSIgR2_kUTeROzzXxklEB916oya9V7TxIYzGVco" }],
  }),
};
const feedbackLike = { defaultPort: 4005, needsPublicUrl: true, peers: [] };
const partnersLike = { defaultPort: 4001, needsPublicUrl: false, peers: [] };

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("a subgraph's public URL, run on its own", () => {
  it("is required where answers hold links, such as feedback's surveys", () => {
    expect(problemsOf(() => standaloneSettings(feedbackLike, BASE))).toEqual([expect.stringMatching(/^PUBLIC_URL: /)]);
  });

  it.each([
    { given: "https://aftersales.example.com", used: "https://aftersales.example.com" },
    { given: "https://aftersales.example.com/", used: "https://aftersales.example.com" },
    { given: "https://example.com/aftersales/", used: "https://example.com/aftersales" },
    { given: "http://localhost:4000", used: "http://localhost:4000" },
  ])("takes $given as $used", ({ given, used }) => {
    expect(standaloneSettings(feedbackLike, { ...BASE, PUBLIC_URL: given }).PUBLIC_URL).toBe(used);
  });

  it.each([
    "/surveys",
    "aftersales.example.com",
    "ftp://aftersales.example.com",
    "https://aftersales.example.com/?from=mail",
    "https://user:pw@aftersales.example.com",
  ])("refuses %s, saying what it must be", (given) => {
    expect(problemsOf(() => standaloneSettings(feedbackLike, { ...BASE, PUBLIC_URL: given }))).toEqual([expect.stringMatching(/^PUBLIC_URL: must /)]);
  });

  it("is not read where nothing holds a link", () => {
    expect(standaloneSettings(partnersLike, BASE).PUBLIC_URL).toBeNull();
    expect(standaloneSettings(partnersLike, { ...BASE, PUBLIC_URL: "not a url" }).PUBLIC_URL).toBeNull();
  });
});
