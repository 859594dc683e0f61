import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { signToken } from "@aftersales/gateway/auth";
import { generateIdentityKey, IDENTITY_HEADER, identitySigner, signIdentity, type RunningServer } from "@aftersales/kit";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDealer, productInput } from "./src/factories.js";
import { bearer, healthUrlOf, post, serveJson, startGatewayFor } from "./src/gateways.js";
import { graphql } from "./src/generated/index.js";
import type {
  GatewayAuthCreateDealerMutation,
  GatewayAuthCreateProductMutation,
  GatewayAuthDealerQuery,
  GatewayAuthDealersQuery,
} from "./src/generated/graphql.js";
import { identityOf, startGraph, type TestGraph } from "./src/graph.js";

/**
 * Who may call: the gateway refuses every request without a credential it
 * can check, and the subgraphs refuse every request the gateway did not sign,
 * so a caller cannot go around the gateway, or past it with a forged header.
 */

let graph: TestGraph;
let dealerId: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  graph = await startGraph();
  dealerId = (await createDealer(graph)).id;
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await graph?.stop();
});

const DEALERS = graphql(`query GatewayAuthDealers { dealers(first: 1) { edges { node { id } } } }`).toString();
const CREATE_PRODUCT = graphql(
  `mutation GatewayAuthCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { product { id } errors { code } } }`,
);
const CREATE_DEALER = graphql(`mutation GatewayAuthCreateDealer($input: CreateDealerInput!) { createDealer(input: $input) { dealer { id } errors { code } } }`);
const UNITS = graphql(`query GatewayAuthUnits { units(first: 5) { edges { cursor } } }`);
const DEALER = graphql(`query GatewayAuthDealer($id: ID!) { dealer(id: $id) { id } }`);
const anotherSecret = () => randomBytes(32).toString("hex");

/** An ADMIN's identity header as a gateway shapes it, signed with `key` under `header`, issued at `issuedAt` for a minute. */
function gatewayShapedHeader(key: Parameters<SignJWT["sign"]>[0], header: { alg: string; kid: string }, issuedAt = Math.floor(Date.now() / 1000)) {
  return new SignJWT({ role: "ADMIN", dealer_id: null, credential: "token:test-admin", operations_only: false })
    .setProtectedHeader(header)
    .setSubject("test-admin")
    .setIssuer("aftersales:gateway")
    .setAudience("aftersales:subgraphs")
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 60)
    .sign(key);
}

describe("the gateway's credentials", () => {
  it("refuses a request without credentials with 401 UNAUTHENTICATED and says what to send", async () => {
    // when
    const answer = await post(graph.url, DEALERS);
    // then
    expect(answer.status).toBe(401);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([{ message: expect.stringMatching(/Authorization: Bearer .*x-api-key/s), extensions: { code: "UNAUTHENTICATED" } }]);
  });

  it("answers /health without credentials", async () => {
    const response = await fetch(healthUrlOf(graph.url));
    expect(response.status).toBe(200);
  });

  it("refuses a token signed with another secret", async () => {
    // given: a well-formed token for an ADMIN, signed by someone the graph does not trust
    const token = await signToken(anotherSecret(), { role: "ADMIN", subject: "intruder", expiresIn: "1h" });
    // when
    const answer = await post(graph.url, DEALERS, bearer(token));
    // then
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(answer.body.data).toBeUndefined();
  });

  it("refuses an expired token and says that it expired", async () => {
    // given: a token that expired two minutes ago
    const token = await graph.token({ role: "ADMIN" }, "-2m");
    // when
    const answer = await post(graph.url, DEALERS, bearer(token));
    // then
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(answer.body.errors?.[0]?.message).toMatch(/expired/i);
  });

  it("refuses a DEALER token that names no dealer", async () => {
    // given: a DEALER token without `dealer_id`
    const token = await graph.token({ role: "DEALER" });
    // when
    const answer = await post(graph.url, DEALERS, bearer(token));
    // then
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(answer.body.errors?.[0]?.message).toContain("dealer_id");
  });

  it("refuses a DEALER token for a dealer that does not exist, as an unknown API key, and accepts a dealer created a moment ago", async () => {
    // given: a well-signed DEALER token whose dealer id names nobody
    const madeUp = `dlr_${randomBytes(8).toString("hex")}`;
    const token = await graph.token({ role: "DEALER", dealerId: madeUp });
    // when
    const answer = await post(graph.url, UNITS.toString(), bearer(token));
    // then: refused like an unknown key, not answered with empty lists
    expect(answer.status).toBe(401);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([
      {
        message: `The token acts for the dealer \`${madeUp}\`, which does not exist; get a token for an existing dealer.`,
        extensions: { code: "UNAUTHENTICATED" },
      },
    ]);
    // and a dealer created just now is accepted on its first request, and on the ones after
    const created = (await createDealer(graph)).id;
    const fresh = await graph.token({ role: "DEALER", dealerId: created });
    for (let i = 0; i < 2; i++) {
      const accepted = await post<GatewayAuthDealerQuery>(graph.url, DEALER.toString(), bearer(fresh), { id: created });
      expect(accepted.status).toBe(200);
      expect(accepted.body.data?.dealer).toEqual({ id: created });
    }
    // and the made-up one is still refused
    expect((await post(graph.url, DEALERS, bearer(token))).status).toBe(401);
  });

  it("refuses an Authorization header that is not a bearer token, saying what to send", async () => {
    const answer = await post(graph.url, DEALERS, { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(answer.body.errors?.[0]?.message).toContain("Bearer");
  });

  it("accepts a valid token", async () => {
    const answer = await post<GatewayAuthDealersQuery>(graph.url, DEALERS, bearer(await graph.token({ role: "ADMIN" })));
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.dealers.edges).toHaveLength(1);
  });
});

describe("RS256 tokens from an identity provider's key set", () => {
  const kid = "test-key-1";
  let privateKey: CryptoKey;
  let jwks: { keys: JWK[] };

  /** An RS256 token the way an identity provider issues one. */
  const rs256Token = (key: CryptoKey, claims: Record<string, unknown> = { role: "ADMIN" }, keyId = kid) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: keyId }).setSubject("idp-user").setIssuedAt().setExpirationTime("5m").sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: "RS256", use: "sig" }] };
  });

  async function expectAcceptsItsKeysOnly(gateway: RunningServer) {
    // when: a token signed with the provider's key
    const accepted = await post<GatewayAuthDealersQuery>(gateway.url, DEALERS, bearer(await rs256Token(privateKey)));
    // then
    expect(accepted.status).toBe(200);
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data?.dealers.edges).toHaveLength(1);

    // when: a token signed with another key under the same key id
    const stranger = await generateKeyPair("RS256");
    const refused = await post(gateway.url, DEALERS, bearer(await rs256Token(stranger.privateKey)));
    // then
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    // when: an HS256 token, which this gateway has no secret for
    const hs256 = await signToken(anotherSecret(), { role: "ADMIN", subject: "someone", expiresIn: "5m" });
    const wrongAlgorithm = await post(gateway.url, DEALERS, bearer(hs256));
    // then
    expect(wrongAlgorithm.status).toBe(401);
    expect(wrongAlgorithm.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  }

  it("accepts tokens verified with a key set read from a file", async () => {
    // given: a gateway that reads the provider's public keys from a file
    const dir = mkdtempSync(path.join(tmpdir(), "aftersales-jwks-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const jwksFile = path.join(dir, "jwks.json");
    writeFileSync(jwksFile, JSON.stringify(jwks));
    const gateway = await startGatewayFor(graph, { tokens: { jwksFile } });
    cleanups.push(() => gateway.stop());
    // when / then
    await expectAcceptsItsKeysOnly(gateway);
  });

  it("accepts tokens verified with a key set fetched from a URL", async () => {
    // given: the provider's keys served over HTTP, and a gateway that fetches them from there
    const server = await serveJson(jwks);
    cleanups.push(() => server.close());
    const gateway = await startGatewayFor(graph, { tokens: { jwksUrl: server.url } });
    cleanups.push(() => gateway.stop());
    // when / then
    await expectAcceptsItsKeysOnly(gateway);
    expect(server.served).toBeGreaterThan(0);
  });

  it("refuses an RS256 token whose claims are not acceptable (a DEALER without dealer_id)", async () => {
    const server = await serveJson(jwks);
    cleanups.push(() => server.close());
    const gateway = await startGatewayFor(graph, { tokens: { jwksUrl: server.url } });
    cleanups.push(() => gateway.stop());
    const answer = await post(gateway.url, DEALERS, bearer(await rs256Token(privateKey, { role: "DEALER" })));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(answer.body.errors?.[0]?.message).toContain("dealer_id");
  });
});

describe("the subgraphs' identity header", () => {
  const ORDINARY = graphql(`query GatewayAuthTypename { __typename }`).toString();
  // Federation's own fields, which only the gateway may ask and the API schema the typed documents are checked against leaves out.
  const SERVICE = `{ _service { sdl } }`;
  const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }`;
  const requests = [
    { what: "an ordinary query", query: ORDINARY, variables: {} },
    { what: "_service", query: SERVICE, variables: {} },
    { what: "_entities", query: ENTITIES, variables: { representations: [{ __typename: "Dealer", id: "dlr_any" }] } },
  ];

  /** Sends every kind of request to every subgraph with `headers`, and returns each answer. */
  async function everySubgraph(headers: Record<string, string>) {
    const answers = [];
    for (const [name, url] of Object.entries(graph.subgraphUrls)) {
      for (const { what, query, variables } of requests) {
        answers.push({ name, what, answer: await post(url, query, headers, variables) });
      }
    }
    return answers;
  }

  function expectAllRefused(answers: Awaited<ReturnType<typeof everySubgraph>>, message?: RegExp) {
    expect(answers.length).toBe(Object.keys(graph.subgraphUrls).length * requests.length);
    for (const { name, what, answer } of answers) {
      expect(answer.status, `${name}: ${what}`).toBe(401);
      expect(answer.body.data, `${name}: ${what}`).toBeUndefined();
      expect(answer.body.errors?.[0]?.extensions?.code, `${name}: ${what}`).toBe("UNAUTHENTICATED");
      if (message) expect(answer.body.errors?.[0]?.message, `${name}: ${what}`).toMatch(message);
    }
  }

  it("answers every kind of request of every subgraph when the gateway signed it", async () => {
    // given: the identity header the gateway would send for an ADMIN
    const header = await signIdentity(identityOf({ role: "ADMIN" }), graph.identitySigner);
    // when
    const answers = await everySubgraph({ [IDENTITY_HEADER]: header });
    // then: none is refused as unauthenticated (a subgraph that resolves no Dealer may still
    // answer `_entities` with a GraphQL error), and every subgraph serves its SDL
    for (const { name, what, answer } of answers) {
      expect(answer.status, `${name}: ${what}`).not.toBe(401);
      expect(answer.body.errors?.map((e) => e.extensions?.code) ?? [], `${name}: ${what}`).not.toContain("UNAUTHENTICATED");
    }
    for (const { name, answer } of answers.filter((a) => a.what === "_service")) {
      expect((answer.body.data as { _service?: { sdl: string } } | undefined)?._service?.sdl, name).toContain("@link");
    }
  });

  it("refuses an ordinary query, _service and _entities without a signature on every subgraph, and keeps /health open", async () => {
    // when
    const answers = await everySubgraph({});
    // then
    expectAllRefused(answers);
    for (const [name, url] of Object.entries(graph.subgraphUrls)) {
      expect((await fetch(healthUrlOf(url))).status, `${name} /health`).toBe(200);
    }
  });

  it("refuses a signature made with a key the subgraphs do not trust on every subgraph", async () => {
    // given: an ADMIN's identity, correctly shaped, signed with a key of its own
    const forged = await signIdentity(identityOf({ role: "ADMIN" }), identitySigner(await generateIdentityKey()));
    // when
    const answers = await everySubgraph({ [IDENTITY_HEADER]: forged });
    // then
    expectAllRefused(answers, /signed by a key this service does not trust/);
  });

  it("refuses a header signed with another key under the trusted key's name, and an HMAC one keyed with the public key", async () => {
    // given: the trusted key's kid on a stranger's signature, and the classic confusion of a public key used as an HMAC secret
    const stranger = identitySigner({ ...(await generateIdentityKey()), kid: graph.identitySigner.kid });
    const underItsName = await signIdentity(identityOf({ role: "ADMIN" }), stranger);
    const hmac = await gatewayShapedHeader(new TextEncoder().encode(JSON.stringify(graph.identitySigner.publicKey)), {
      alg: "HS256",
      kid: graph.identitySigner.kid,
    });
    // then
    expectAllRefused(await everySubgraph({ [IDENTITY_HEADER]: underItsName }), /invalid/);
    expectAllRefused(await everySubgraph({ [IDENTITY_HEADER]: hmac }), /invalid/);
  });

  it("refuses an expired identity header on every subgraph", async () => {
    // given: a header the gateway could have signed, but that expired a minute ago
    const now = Math.floor(Date.now() / 1000);
    const expired = await gatewayShapedHeader(await importJWK(graph.identityKey, "EdDSA"), { alg: "EdDSA", kid: graph.identitySigner.kid }, now - 120);
    // when
    const answers = await everySubgraph({ [IDENTITY_HEADER]: expired });
    // then
    expectAllRefused(answers, /expired/);
  });

  it("refuses a header signed with the right key for another audience", async () => {
    // given: a token signed with the identity key, but not as a gateway identity (no issuer, no audience)
    const token = await new SignJWT({ role: "ADMIN" })
      .setProtectedHeader({ alg: "EdDSA", kid: graph.identitySigner.kid })
      .setSubject("test-admin")
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(await importJWK(graph.identityKey, "EdDSA"));
    // when
    const answers = await everySubgraph({ [IDENTITY_HEADER]: token });
    // then
    expectAllRefused(answers);
  });

  it("ignores an identity header a client sends to the gateway: a DEALER stays a DEALER", async () => {
    // given: a header claiming ADMIN, validly signed (as if captured from the gateway's traffic), and a DEALER's token
    const forged = await signIdentity(identityOf({ role: "ADMIN" }), graph.identitySigner);
    const dealerToken = await graph.token({ role: "DEALER", dealerId });
    // when: the DEALER does something only an ADMIN may
    const headers = { ...bearer(dealerToken), [IDENTITY_HEADER]: forged };
    const answer = await post<GatewayAuthCreateProductMutation>(graph.url, CREATE_PRODUCT.toString(), headers, { input: productInput() });
    // then
    expect(answer.body.data?.createProduct ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it("refuses a client's identity header sent without credentials", async () => {
    // given
    const forged = await signIdentity(identityOf({ role: "ADMIN" }), graph.identitySigner);
    // when
    const answer = await post(graph.url, DEALERS, { [IDENTITY_HEADER]: forged });
    // then
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a dealer's attempt to create a dealer, an ADMIN's job, even with a forged ADMIN identity header", async () => {
    // given
    const forged = await signIdentity(identityOf({ role: "ADMIN" }), graph.identitySigner);
    const dealerToken = await graph.token({ role: "DEALER", dealerId });
    // when
    const answer = await post<GatewayAuthCreateDealerMutation>(
      graph.url,
      CREATE_DEALER.toString(),
      { ...bearer(dealerToken), [IDENTITY_HEADER]: forged },
      {
        input: {
          name: "Forged Dealer",
          kind: "DEALER",
          region: "DACH",
          address: { street: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE" },
          location: { latitude: 52.52, longitude: 13.405 },
          laborRate: { amount: "85.00", currency: "EUR" },
          calendar: { timeZone: "Europe/Berlin", weeklyWindows: [], holidays: [] },
        },
      },
    );
    // then
    expect(answer.body.data?.createDealer ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });
});
