import DataLoader from "dataloader";
import { GraphQLError } from "graphql";
import type { Database } from "./db.js";
import { keepNewest, type CopyTable, type EventHandler } from "./events.js";
import { WELL_FORMED_ID } from "./ids.js";
import { IDENTITY_HEADER, type Identity } from "./identity.js";
import { currentRequest, REQUEST_ID_HEADER } from "./requests.js";

/**
 * Asking another subgraph, as the caller, for the records it owns.
 *
 * A subgraph keeps copies of other subgraphs' records from their events. An
 * event arrives a moment after its change commits, so a partner that creates
 * a customer and sells it a unit in the next request would find the
 * catalog's copy without the customer. Then, and only then, the subgraph asks
 * the owner for the record's current state, as the caller: the owner's own
 * rules decide whether the caller may see it, so another dealer's record and
 * a record that does not exist both come back as nothing.
 *
 * The owner answers through federation's `_entities` with the field
 * `eventState` (`@inaccessible`: never part of the API clients see): the
 * record as its events carry it, so the asking subgraph reads it with the
 * same schema as the events it keeps its copies from.
 */

/** One GraphQL request to another subgraph. */
export interface PeerRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface PeerAnswer {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string }[];
}

/**
 * How a request reaches another subgraph, for one caller: over HTTP with the
 * caller's identity header as the gateway signed it (a subgraph holds no
 * signing key; the header outlives any request the gateway waits for), or, where every subgraph
 * shares one embedded database in this process, by running the owner's
 * schema inside the caller's own transaction (PGlite runs one transaction
 * at a time, so the owner could not open another while the caller's is open).
 */
export type PeerTransport = (owner: string, request: PeerRequest, caller: PeerCaller) => Promise<PeerAnswer>;

/** The caller a peer is asked for: its identity, the signed header it came with, and its open transaction. */
export interface PeerCaller {
  identity: Identity;
  identityHeader: string;
  db: Database;
}

/** Asks other subgraphs for the state of their records; bound to one request's caller and transaction. */
export interface Peers {
  /**
   * The state of each record of `typename` (owned by `owner`) as its events
   * carry it, in the order of `keys` (values of the entity's key field `by`,
   * its id unless said otherwise); null for one that does not exist or that
   * the caller may not see.
   */
  states(owner: string, typename: string, keys: readonly string[], by?: string): Promise<(unknown | null)[]>;
}

export function peersFor(transport: PeerTransport, caller: { identity: Identity; identityHeader: string }, db: Database): Peers {
  return {
    async states(owner, typename, keys, by = "id") {
      if (!keys.length) return [];
      const request = {
        query: `query PeerStates($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { eventState } } }`,
        variables: { representations: keys.map((key) => ({ __typename: typename, [by]: key })) },
      };
      const answer = await transport(owner, request, { ...caller, db });
      const entities = answer.data?._entities;
      if (answer.errors?.length || !Array.isArray(entities) || entities.length !== keys.length) {
        throw peerUnavailable(owner, answer.errors?.map((e) => e.message).join("; ") ?? "no entities in its answer");
      }
      return entities.map((entity) => {
        const state = (entity as { eventState?: unknown } | null)?.eventState;
        return typeof state === "string" ? (JSON.parse(state) as unknown) : null;
      });
    },
  };
}

/** Another subgraph could not be asked; the caller may try again shortly, nothing was written. */
function peerUnavailable(owner: string, cause: string): GraphQLError {
  return new GraphQLError(
    `The ${owner} subgraph, which this change must check a record with, could not answer (${cause}). Nothing was changed; try again shortly.`,
    {
      extensions: { code: "SUBGRAPH_UNAVAILABLE" },
    },
  );
}

/** Network failures worth one more try: the request is a read, so sending it again is safe. */
const RETRIES = 2;

/** Peers reached over HTTP at their `/graphql` URLs, with the caller's identity header as the gateway signed it. */
export function httpPeerTransport(options: { urls: Record<string, string>; timeoutMs?: number }): PeerTransport {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return async (owner, request, { identityHeader }) => {
    const url = options.urls[owner];
    if (!url) throw new Error(`No URL for the ${owner} subgraph; set SUBGRAPH_${owner.toUpperCase()}_URL.`);
    // The asking request's id goes along, so the peer's log lines of it are found with the rest.
    const requestId = currentRequest()?.requestId;
    let lastError: unknown;
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [IDENTITY_HEADER]: identityHeader,
            ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
          },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(timeoutMs),
        });
        return (await response.json()) as PeerAnswer;
      } catch (error) {
        lastError = error;
      }
    }
    throw peerUnavailable(owner, lastError instanceof Error ? lastError.message : String(lastError));
  };
}

/**
 * A per-request loader of another subgraph's records by a key (their id, or
 * another key of the entity, `by`): from the copy when it has them, else
 * from their owner, asked as the caller (`fromOwner` turns the owner's
 * states into rows as the copy would hold them). With no `peers` (a caller
 * that changes nothing) the copy alone answers.
 */
export type CopyReader<Row> = DataLoader<string, Row | null> & {
  /**
   * The record, from the copy if it is `acceptable` there; otherwise as its
   * owner has it now. A copy may be behind (a unit sold a moment ago is still
   * in stock in it), so nothing is refused on the copy's word alone.
   */
  confirmed(key: string, acceptable: (row: Row) => boolean): Promise<Row | null>;
};

export function copyOrOwnerLoader<Row>(options: {
  peers: Peers | null;
  owner: string;
  typename: string;
  by?: string;
  fromCopy: (keys: readonly string[]) => Promise<readonly Row[]>;
  fromOwner: (states: readonly unknown[]) => Promise<readonly Row[]>;
  keyOf: (row: Row) => string;
}): CopyReader<Row> {
  const { peers, by = "id" } = options;
  // Each key is asked of the owner at most once per request, in batches.
  const fromOwner = new DataLoader<string, Row | null>(async (keys) => {
    if (!peers) return keys.map(() => null);
    const states = await peers.states(options.owner, options.typename, keys, by);
    const rows = await options.fromOwner(states.filter((state) => state !== null));
    const byKey = new Map(rows.map((row) => [options.keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
  // Only `newId`'s ids name records: another id is not asked about (serial numbers are whatever their maker printed).
  const askable = (key: string) => peers !== null && (by !== "id" || WELL_FORMED_ID.test(key));
  const loader = new DataLoader<string, Row | null>(async (keys) => {
    const byKey = new Map<string, Row>();
    for (const row of await options.fromCopy(keys)) byKey.set(options.keyOf(row), row);
    const missing = keys.filter((key) => !byKey.has(key) && askable(key));
    for (const [i, row] of (await fromOwner.loadMany(missing)).entries()) {
      if (row instanceof Error) throw row;
      if (row) byKey.set(missing[i]!, row);
    }
    return keys.map((key) => byKey.get(key) ?? null);
  });
  return Object.assign(loader, {
    async confirmed(key: string, acceptable: (row: Row) => boolean) {
      const row = await loader.load(key);
      if ((row && acceptable(row)) || !askable(key)) return row;
      const current = await fromOwner.load(key);
      loader.clear(key).prime(key, current);
      return current;
    },
  });
}

/**
 * How a subgraph keeps its copy of another's records, one state at a time
 * (the state their events carry). `rowOf` is what the copy holds for a state;
 * events write it, and the owner's answer, when the copy lacked a record, is
 * read the same way but not written: the event that follows does that, in
 * its order, so a request never holds locks on the copy that the relay needs.
 */
export interface CopyKeeper<Row> {
  /** The subscription handler of the events carrying the record's state. */
  apply: EventHandler;
  /** The copy's row for a state. */
  rowOf(tx: Database, state: unknown): Promise<Row>;
}

/** A keeper writing `rowOf`'s row into `table`, newer versions only. */
export function copyKept<T extends CopyTable>(table: T, rowOf: (tx: Database, state: unknown) => Promise<T["$inferSelect"]>): CopyKeeper<T["$inferSelect"]> {
  return {
    // Every column of the copy is in the row, so it is the table's insert as well as its select.
    apply: async (tx, event) => keepNewest(tx, table, (await rowOf(tx, event.payload)) as T["$inferInsert"] & { sourceVersion: number }),
    rowOf,
  };
}

/** Where a copy's records come from: the owning subgraph, their entity type there, and how the copy keeps them. */
export interface CopySource<Row> {
  owner: string;
  typename: string;
  keeper: CopyKeeper<Row>;
}

/**
 * A per-request loader of a copy's rows by a key (`find` reads the copy;
 * `key` names the column and the entity's key field, its id by default),
 * falling back on the owner as `copyOrOwnerLoader` does.
 */
export function copyLoader<Row extends Record<Key, string>, Key extends string = "id">(
  db: Database,
  peers: Peers | null,
  source: CopySource<Row>,
  find: (db: Database, keys: readonly string[]) => Promise<readonly Row[]>,
  key: Key = "id" as Key,
): CopyReader<Row> {
  return copyOrOwnerLoader({
    peers,
    owner: source.owner,
    typename: source.typename,
    by: key,
    fromCopy: (keys) => find(db, keys),
    fromOwner: (states) => Promise.all(states.map((state) => source.keeper.rowOf(db, state))),
    keyOf: (row) => row[key],
  });
}
