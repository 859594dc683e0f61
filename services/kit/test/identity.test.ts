import { afterEach, describe, expect, it, vi } from "vitest";
import {
  generateIdentityKey,
  IDENTITY_REUSE_SECONDS,
  IDENTITY_TTL_SECONDS,
  identitySigner,
  identityVerifier,
  parseIdentityKey,
  parseIdentityKeySet,
  type Identity,
} from "../src/identity.js";

const ADMIN: Identity = { subject: "ops", role: "ADMIN", dealerId: null, credential: "token:ops", operationsOnly: false };
const DEALER: Identity = { subject: "erp", role: "DEALER", dealerId: "dlr_1", credential: "key:k1", operationsOnly: true };

/** The GraphQL error code a refusal carries, or "accepted". */
async function outcome(verify: (header: string) => Promise<Identity>, header: string): Promise<string> {
  try {
    await verify(header);
    return "accepted";
  } catch (error) {
    return String((error as { extensions?: { code?: string } }).extensions?.code);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the identity header", () => {
  it("carries the caller to a subgraph that holds only the public key", async () => {
    const signer = identitySigner(await generateIdentityKey());
    const verify = identityVerifier({ keys: [signer.publicKey] });
    expect(await verify(await signer.sign(DEALER))).toEqual(DEALER);
    expect(await verify(await signer.sign(ADMIN))).toEqual(ADMIN);
  });

  it("is accepted from the old key and the new while both are listed, and from the old no more once it is removed", async () => {
    const old = identitySigner(await generateIdentityKey());
    const next = identitySigner(await generateIdentityKey());
    const fromOld = await old.sign(ADMIN);
    const fromNext = await next.sign(ADMIN);

    const during = identityVerifier({ keys: [old.publicKey, next.publicKey] });
    expect([await outcome(during, fromOld), await outcome(during, fromNext)]).toEqual(["accepted", "accepted"]);

    const after = identityVerifier({ keys: [next.publicKey] });
    expect([await outcome(after, fromOld), await outcome(after, fromNext)]).toEqual(["UNAUTHENTICATED", "accepted"]);
  });

  it("is refused once expired, though the same header was accepted before", async () => {
    // given: a header accepted once
    const signer = identitySigner(await generateIdentityKey());
    const verify = identityVerifier({ keys: [signer.publicKey] });
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2025-06-01T10:00:00Z") });
    const header = await signer.sign(DEALER);
    expect(await outcome(verify, header)).toBe("accepted");
    // when: the same header comes again within its lifetime, and after it
    vi.setSystemTime(new Date("2025-06-01T10:00:59Z"));
    const within = await outcome(verify, header);
    vi.setSystemTime(new Date("2025-06-01T10:01:00Z"));
    const after = await outcome(verify, header);
    // then
    expect([within, after]).toEqual(["accepted", "UNAUTHENTICATED"]);
  });

  it("is refused when its key is not in the set, or names none", async () => {
    const trusted = identitySigner(await generateIdentityKey());
    const verify = identityVerifier({ keys: [trusted.publicKey] });
    // A key of its own, under a name the set does not know, and under the trusted key's name.
    const stranger = await generateIdentityKey();
    expect(await outcome(verify, await identitySigner(stranger).sign(ADMIN))).toBe("UNAUTHENTICATED");
    expect(await outcome(verify, await identitySigner({ ...stranger, kid: trusted.kid }).sign(ADMIN))).toBe("UNAUTHENTICATED");
    await expect(verify(undefined as unknown as string)).rejects.toThrow(/only answers requests that come through the gateway/);
  });

  it("names its key in the header, and lets nobody put a private key into the subgraphs' set", async () => {
    const key = await generateIdentityKey();
    const signer = identitySigner(key);
    const header = JSON.parse(Buffer.from((await signer.sign(ADMIN)).split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: "EdDSA", kid: key.kid });
    expect(signer.publicKey).not.toHaveProperty("d");
    expect(() => parseIdentityKeySet(JSON.stringify({ keys: [key] }))).toThrow(/private key/);
    expect(() => parseIdentityKeySet(JSON.stringify({ keys: [signer.publicKey, signer.publicKey] }))).toThrow(/twice/);
    expect(() => parseIdentityKey(JSON.stringify(signer.publicKey))).toThrow(/must be a private key/);
    expect(() => parseIdentityKey(JSON.stringify({ ...key, kid: undefined }))).toThrow(/kid/);
    expect(parseIdentityKeySet(JSON.stringify({ keys: [signer.publicKey] }))).toEqual({ keys: [signer.publicKey] });
  });
});

describe("signing and checking a caller's identity again", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("hands a caller the header it signed a moment ago, and never one signed for another caller", async () => {
    // given
    const signer = identitySigner(await generateIdentityKey());
    const first = await signer.sign(DEALER);
    // when / then: the same caller, the same header; a caller differing in any claim, a header of its own
    expect(await signer.sign({ ...DEALER })).toBe(first);
    const others = [
      ADMIN,
      { ...DEALER, dealerId: "dlr_2" },
      { ...DEALER, subject: "crm" },
      { ...DEALER, credential: "key:k2" },
      { ...DEALER, operationsOnly: false },
    ];
    for (const other of others) expect(await signer.sign(other)).not.toBe(first);
    const verify = identityVerifier({ keys: [signer.publicKey] });
    for (const other of others) expect(await verify(await signer.sign(other))).toEqual(other);
  });

  it("signs anew once a header has used up its time for reuse, so a subgraph always gets one with most of its life left", async () => {
    // given
    vi.useFakeTimers({ toFake: ["Date"] });
    const signer = identitySigner(await generateIdentityKey());
    const first = await signer.sign(ADMIN);
    // when
    vi.setSystemTime(Date.now() + (IDENTITY_REUSE_SECONDS + 1) * 1000);
    const later = await signer.sign(ADMIN);
    // then
    expect(later).not.toBe(first);
    const expiresIn = (header: string) => (JSON.parse(Buffer.from(header.split(".")[1]!, "base64url").toString()) as { exp: number }).exp - Date.now() / 1000;
    expect(expiresIn(later)).toBeGreaterThan(IDENTITY_TTL_SECONDS - IDENTITY_REUSE_SECONDS);
  });
});
