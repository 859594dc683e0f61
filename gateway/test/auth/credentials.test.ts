import { webcrypto } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuthenticator } from "../../src/auth/credentials.js";
import { signToken } from "../../src/auth/development.js";

const SECRET = "s".repeat(48);
const headersWith = (token: string) => ({ header: (name: string) => (name === "authorization" ? `Bearer ${token}` : undefined) });
const noApiKeys = async () => null;
const everyDealer = async () => true;

describe("HS256 tokens", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("are checked with the secret imported once, not once per token, and a token signed with another secret is still refused", async () => {
    // given
    const imports = vi.spyOn(webcrypto.subtle, "importKey");
    const tokens = await Promise.all(["a", "b", "c", "d", "e"].map((subject) => signToken(SECRET, { role: "AGENT", subject, expiresIn: "1h" })));
    const forged = await signToken("f".repeat(48), { role: "ADMIN", subject: "mallory", expiresIn: "1h" });
    imports.mockClear();
    const authenticator = createAuthenticator({ secret: new TextEncoder().encode(SECRET) }, noApiKeys, everyDealer);
    // when
    const callers = [];
    for (const token of tokens) callers.push(await authenticator.authenticate(headersWith(token)));
    const refusal = await authenticator.authenticate(headersWith(forged)).catch((error: unknown) => error);
    // then
    expect(callers.map((caller) => caller.subject)).toEqual(["a", "b", "c", "d", "e"]);
    expect((refusal as { extensions?: { code?: string } }).extensions?.code).toBe("UNAUTHENTICATED");
    expect(imports).toHaveBeenCalledTimes(1);
  });

  it("are signed, for development and tests, with each secret imported once", async () => {
    const imports = vi.spyOn(webcrypto.subtle, "importKey");
    const secret = "t".repeat(48);
    for (const subject of ["a", "b", "c"]) await signToken(secret, { role: "AGENT", subject, expiresIn: "1h" });
    expect(imports).toHaveBeenCalledTimes(1);
  });
});
