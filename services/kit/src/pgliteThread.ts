/**
 * An embedded PGlite database in a worker thread of its own. PGlite runs
 * Postgres compiled to WebAssembly, synchronously in the thread that calls
 * it: in the main thread of the embedded graph every statement stopped the
 * subgraphs' JavaScript (parsing requests, resolving, serialising answers)
 * for as long as it ran, so the graph used one core for both. In a thread of
 * its own the database works while the subgraphs do.
 *
 * It answers what drizzle's PGlite driver and the migrator ask of a PGlite
 * (`query`, `exec`, `transaction`, `close`), and `queryAs`: one statement in
 * a transaction of its own, opened as a caller (see `DatabaseHandle.hold`),
 * so a request's reads take the database for one statement at a time rather
 * than for the whole request.
 */
import { Worker } from "node:worker_threads";
import type { QueryOptions, Results, RowMode } from "@electric-sql/pglite";
import { threadEntry } from "./threads.js";

export interface PgliteThreadData {
  /** Where the database is kept; in memory when not given. */
  dataDir?: string;
}

/** A statement as it crosses to the database's thread. */
export interface Statement {
  sql: string;
  params?: unknown[];
  rowMode?: RowMode;
  /** The types whose values stay the text the database sent (drizzle parses those itself). */
  textTypes: number[];
}

export type ToPgliteThread = { id: number } & (
  | { type: "query"; statement: Statement; transaction?: number }
  | { type: "exec"; sql: string; transaction?: number }
  | { type: "queryAs"; opening: Statement; statement: Statement }
  | { type: "begin"; transaction: number }
  | { type: "end"; transaction: number; commit: boolean }
  | { type: "close" }
);
/** Each message's answer, by its id (-1: the database opened, or did not). */
export type FromPgliteThread =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { message: string; fields: Record<string, unknown> } };

/** What drizzle's PGlite session calls inside a transaction. */
export interface PgliteThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

/** Opens the database in `dataDir` (in memory when not given) in a thread of its own. */
export async function openPgliteThread(dataDir?: string): Promise<PgliteThread> {
  const thread = new PgliteThread(dataDir);
  await thread.opened;
  return thread;
}

export class PgliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #nextTransaction = 0;
  #exited: Error | null = null;
  /** Settles once the database has opened in its thread. */
  readonly opened: Promise<void>;

  constructor(dataDir?: string) {
    const workerData: PgliteThreadData = dataDir ? { dataDir } : {};
    this.#worker = new Worker(threadEntry(import.meta.url, "pgliteWorker"), { workerData });
    this.opened = new Promise<void>((resolve, reject) => this.#pending.set(-1, { resolve: () => resolve(), reject }));
    this.#worker.on("message", (message: FromPgliteThread) => {
      const waiting = this.#pending.get(message.id);
      if (!waiting) return;
      this.#pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(Object.assign(new Error(message.error.message), message.error.fields));
    });
    const fail = (error: Error) => {
      this.#exited = error;
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`The database's thread exited (${code}).`)));
  }

  #ask<T>(message: DistributiveOmit<ToPgliteThread, "id">): Promise<T> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#ask({ type: "query", statement: statementOf(sql, params, options) });
  }

  exec(sql: string): Promise<Results[]> {
    return this.#ask({ type: "exec", sql });
  }

  /** `sql` alone in a transaction that `opening` opens (it says who acts): both run in the thread, one after the other. */
  queryAs<T>(opening: { sql: string; params: unknown[] }, sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.#ask({ type: "queryAs", opening: statementOf(opening.sql, opening.params), statement: statementOf(sql, params, options) });
  }

  /** Runs `work` in a transaction held in the thread: committed when it returns, rolled back when it throws. */
  async transaction<T>(work: (tx: PgliteThreadTransaction) => Promise<T>): Promise<T> {
    const transaction = this.#nextTransaction++;
    await this.#ask({ type: "begin", transaction });
    let closed = false;
    const tx: PgliteThreadTransaction = {
      query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
        if (closed) return Promise.reject(new Error("The transaction has ended."));
        return this.#ask<Results<R>>({ type: "query", statement: statementOf(sql, params, options), transaction });
      },
      exec: (sql) => {
        if (closed) return Promise.reject(new Error("The transaction has ended."));
        return this.#ask({ type: "exec", sql, transaction });
      },
      rollback: async () => {
        closed = true;
        await this.#ask({ type: "end", transaction, commit: false });
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      if (!closed) {
        closed = true;
        await this.#ask({ type: "end", transaction, commit: false });
      }
      throw error;
    }
    if (!closed) {
      closed = true;
      await this.#ask({ type: "end", transaction, commit: true });
    }
    return result;
  }

  /** Closes the database, then its thread. */
  async close(): Promise<void> {
    if (this.#exited) return;
    await this.#ask({ type: "close" });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function statementOf(sql: string, params: unknown[] | undefined, options: QueryOptions = {}): Statement {
  const textTypes = Object.entries(options.parsers ?? {}).map(([type, parse]) => {
    // Functions stay in this thread: only a parser that keeps the text as it is can be named across.
    if (parse("0", Number(type)) !== "0") throw new Error(`A parser for type ${type} that changes the text cannot cross into the database's thread.`);
    return Number(type);
  });
  if (options.serializers || options.blob || options.onNotice || options.paramTypes) {
    throw new Error("Serializers, blobs, notices and parameter types do not cross into the database's thread.");
  }
  return { sql, ...(params?.length ? { params } : {}), ...(options.rowMode ? { rowMode: options.rowMode } : {}), textTypes };
}
