import { subscribe } from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { KEEP_ALIVE_TIMEOUT_MS } from "@aftersales/kit";
import { Kind, OperationTypeNode, parse, type ObjectValueNode, type ValueNode } from "graphql";
import { Pool, type Dispatcher } from "undici";

/**
 * The gateway's connections to the subgraphs: a pool of kept-alive
 * connections per subgraph, and a request the subgraph provably never read
 * sent again when sending it twice cannot do harm.
 *
 * undici's pool, driven through its dispatcher, rather than fetch: the
 * answer is gathered as bytes with no Request, Response or web stream made
 * per call (under load those cost more than the subgraphs' own work), and
 * the socket a request went out on tells a connection the subgraph closed
 * as idle (the request never reached it) from a subgraph that failed while
 * running the request. Fetch reports both as the same network error.
 * OpenTelemetry's undici instrumentation still sees every request (it
 * listens on undici's diagnostics channels) and adds `traceparent` and
 * `baggage` to it. Nothing is compressed: these hops stay inside.
 */

/**
 * How long an idle connection is kept for the next request: far below how
 * long a subgraph keeps it (`KEEP_ALIVE_TIMEOUT_MS`), so that the subgraph
 * does not close a connection for idleness just as the gateway sends on it,
 * even when a busy machine delays either side's timers by seconds. The
 * pool's own cap decides, whatever `Keep-Alive: timeout` a subgraph
 * announces.
 */
const IDLE_CONNECTION_MS = Math.min(10_000, KEEP_ALIVE_TIMEOUT_MS / 4);

/**
 * Connections per subgraph origin. A subgraph replica runs a few
 * transactions at once (its DATABASE_POOL_SIZE, 10 by default); a few
 * replicas behind one Service are reached through one origin, and requests
 * beyond this wait in the gateway rather than in a subgraph's backlog.
 */
const CONNECTIONS_PER_SUBGRAPH = 64;

/** How often a request the subgraph never read is sent again (another pooled connection may have been closed at the same moment). */
const MAX_RETRIES = 2;

const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, {
      connections: CONNECTIONS_PER_SUBGRAPH,
      keepAliveTimeout: IDLE_CONNECTION_MS,
      keepAliveMaxTimeout: IDLE_CONNECTION_MS,
      // The caller's own timeout covers the whole exchange, waiting for a connection included.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    pools.set(origin, pool);
  }
  return pool;
}

/** A request as the gateway sends it: a GraphQL operation as JSON. */
export interface SubgraphRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A subgraph's answer, whole: headers named in lower case. */
export interface SubgraphAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** The request went out on a connection an earlier request had used, and the connection was gone before a byte of the answer came: the subgraph closed it without reading the request. */
class UnreadRequest extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
    this.name = "UnreadRequest";
  }
}

/** The connection broke (rather than, say, a timeout): what a closed idle connection looks like to a request sent on it. */
const connectionLost = (error: Error) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET";
};

/** Requests sent so far on each connection: more than one, and the connection was reused. */
const sentOn = new WeakMap<Socket, number>();

/**
 * The exchange whose request is being written right now. undici hands a
 * request its connection (`onConnect`) and announces the headers it writes
 * on which socket (`undici:client:sendHeaders`) in one synchronous step, so
 * the announcement that follows an exchange's `onConnect` is its own.
 */
let writing: Exchange | null = null;
subscribe("undici:client:sendHeaders", (message) => {
  const exchange = writing;
  writing = null;
  const socket = (message as { socket?: Socket }).socket;
  if (!exchange || !socket) return;
  const sent = sentOn.get(socket) ?? 0;
  sentOn.set(socket, sent + 1);
  exchange.reused = sent > 0;
  exchange.socket = socket;
  exchange.readBefore = socket.bytesRead;
});

/** One request and its answer, gathered as bytes. */
class Exchange implements Dispatcher.DispatchHandlers {
  reused = false;
  socket: Socket | null = null;
  readBefore = 0;
  private answered = false;
  private status = 0;
  private statusText = "";
  private readonly headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private abortWith: ((error: Error) => void) | null = null;
  private abortedBy: Error | null = null;

  constructor(
    private readonly resolve: (answer: SubgraphAnswer) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  abort(error: Error): void {
    if (this.abortWith) this.abortWith(error);
    else this.abortedBy = error;
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.abortedBy) {
      abort(this.abortedBy);
      return;
    }
    this.abortWith = abort;
    writing = this;
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[] | null, _resume: () => void, statusText: string): boolean {
    this.answered = true;
    this.status = status;
    this.statusText = statusText;
    for (let i = 0; rawHeaders && i + 1 < rawHeaders.length; i += 2) {
      this.headers[rawHeaders[i]!.toString().toLowerCase()] = rawHeaders[i + 1]!.toString();
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.resolve({ status: this.status, statusText: this.statusText, headers: this.headers, body });
  }

  onError(error: Error): void {
    if (writing === this) writing = null;
    const unread = !this.answered && this.reused && connectionLost(error) && this.socket?.bytesRead === this.readBefore;
    this.reject(unread ? new UnreadRequest(error) : error);
  }
}

/** Where a subgraph URL's requests go: its pool, and the path on it. */
const targets = new Map<string, { pool: Pool; path: string }>();

function targetOf(url: string): { pool: Pool; path: string } {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    target = { pool: poolFor(parsed.origin), path: `${parsed.pathname}${parsed.search}` };
    targets.set(url, target);
  }
  return target;
}

/**
 * Sends a request to a subgraph, giving up after `timeoutMs`. A request the
 * subgraph never read is sent again when that cannot do harm (see
 * `harmlessToRepeat`); a timeout, or a connection that broke after the
 * subgraph may have read the request, is never retried.
 */
export async function sendToSubgraph(url: string, init: SubgraphRequest, timeoutMs: number, onRetry?: (error: Error) => void): Promise<SubgraphAnswer> {
  const { pool, path } = targetOf(url);
  let current: Exchange | null = null;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    current?.abort(new Error(`no answer within ${timeoutMs} ms`));
  }, timeoutMs);
  const options: Dispatcher.DispatchOptions = { path, method: init.method === "GET" ? "GET" : "POST", headers: init.headers ?? {}, body: init.body ?? null };
  try {
    for (let retries = 0; ; retries++) {
      try {
        return await new Promise<SubgraphAnswer>((resolve, reject) => {
          current = new Exchange(resolve, reject);
          pool.dispatch(options, current);
        });
      } catch (error) {
        if (timedOut) throw new Error(`no answer within ${timeoutMs} ms`);
        if (!(error instanceof UnreadRequest)) throw error;
        if (retries >= MAX_RETRIES || !harmlessToRepeat(init.body)) throw error.cause;
        onRetry?.(error.cause);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a request may be sent twice: a query, or a mutation each of whose
 * fields carries an idempotency key in its input, which the subgraph answers
 * a second time with its first result.
 */
export function harmlessToRepeat(body: string | Buffer | undefined): boolean {
  try {
    const { query, variables = {} } = JSON.parse(String(body)) as { query: string; variables?: Record<string, unknown> };
    const operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const [operation] = operations;
    if (operations.length !== 1 || !operation) return false;
    if (operation.operation === OperationTypeNode.QUERY) return true;
    if (operation.operation !== OperationTypeNode.MUTATION) return false;
    return operation.selectionSet.selections.every((selection) => {
      if (selection.kind !== Kind.FIELD) return false;
      if (selection.name.value === "__typename") return true;
      const input = selection.arguments?.find((argument) => argument.name.value === "input")?.value;
      return input !== undefined && carriesKey(input, variables);
    });
  } catch {
    return false;
  }
}

/** Whether an `input` argument, written out or as a variable, holds a non-empty `idempotencyKey`. */
function carriesKey(input: ValueNode, variables: Record<string, unknown>): boolean {
  const keyOf = (value: unknown) => typeof value === "string" && value.length > 0;
  if (input.kind === Kind.VARIABLE) {
    const value = variables[input.name.value];
    return typeof value === "object" && value !== null && keyOf((value as Record<string, unknown>)["idempotencyKey"]);
  }
  if (input.kind !== Kind.OBJECT) return false;
  const key = (input as ObjectValueNode).fields.find((field) => field.name.value === "idempotencyKey")?.value;
  if (key?.kind === Kind.STRING) return keyOf(key.value);
  if (key?.kind === Kind.VARIABLE) return keyOf(variables[key.name.value]);
  return false;
}
