/**
 * The thread that holds an embedded PGlite database (see `pgliteThread.ts`):
 * it runs what the main thread sends, in the order PGlite's own locks give,
 * and answers each message once.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";
import type { FromPgliteThread, PgliteThreadData, Statement, ToPgliteThread } from "./pgliteThread.js";

if (!parentPort) throw new Error("pgliteWorker.ts runs as an embedded database's thread (pgliteThread.ts), not on its own.");
const port = parentPort;
const { dataDir } = workerData as PgliteThreadData;
const send = (message: FromPgliteThread) => port.postMessage(message);

/** Transactions the main thread holds open: each waits for its `end` while the main thread sends its statements. */
const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; ended: Promise<unknown> }>();

/** Drizzle keeps some types as the text PGlite reads (timestamps, dates, numeric arrays): those cross as type ids. */
const optionsOf = (statement: Statement): QueryOptions => ({
  ...(statement.rowMode ? { rowMode: statement.rowMode } : {}),
  ...(statement.textTypes.length ? { parsers: Object.fromEntries(statement.textTypes.map((type) => [type, (text: string) => text])) } : {}),
});

const run = (on: Pick<Transaction, "query">, statement: Statement): Promise<Results> => on.query(statement.sql, statement.params, optionsOf(statement));

function transactionOf(id: number): Transaction {
  const held = open.get(id);
  if (!held) throw new Error(`No open transaction ${id} in the database's thread.`);
  return held.tx;
}

try {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  port.on("message", (message: ToPgliteThread) => {
    void answer(db, message).then(
      (result) => send({ id: message.id, ok: true, result }),
      (error: unknown) => send({ id: message.id, ok: false, error: plainError(error) }),
    );
  });
  send({ id: -1, ok: true, result: null });
} catch (error) {
  send({ id: -1, ok: false, error: plainError(error) });
  port.close();
}

async function answer(db: PGlite, message: ToPgliteThread): Promise<unknown> {
  switch (message.type) {
    case "query":
      return run(message.transaction === undefined ? db : transactionOf(message.transaction), message.statement);
    case "exec":
      return (message.transaction === undefined ? db : transactionOf(message.transaction)).exec(message.sql);
    case "queryAs":
      // One statement as a caller: its settings last as long as this transaction, which ends with it.
      return db.transaction(async (tx) => {
        await run(tx, message.opening);
        return run(tx, message.statement);
      });
    case "begin":
      return new Promise<null>((begun, failed) => {
        const ended = db.transaction(
          (tx) =>
            new Promise<void>((commit, rollBack) => {
              open.set(message.transaction, { tx, end: (yes) => (yes ? commit() : rollBack(new Error("rolled back"))), ended });
              begun(null);
            }),
        );
        ended.catch(failed);
      });
    case "end": {
      const held = open.get(message.transaction);
      if (!held) throw new Error(`No open transaction ${message.transaction} in the database's thread.`);
      open.delete(message.transaction);
      held.end(message.commit);
      if (message.commit) await held.ended;
      else await held.ended.catch(() => {});
      return null;
    }
    case "close":
      await db.close();
      setImmediate(() => port.close());
      return null;
  }
}

/** An error as it crosses threads: its message and its fields (a database error's `code`, `constraint`, `detail`, ...). */
function plainError(error: unknown): { message: string; fields: Record<string, unknown> } {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, unknown> = { name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === "function" || (typeof value === "object" && value !== null)) continue;
    fields[key] = value;
  }
  if (error.stack) fields["stack"] = error.stack;
  return { message: error.message, fields };
}
