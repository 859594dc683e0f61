import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { KEEP_ALIVE_TIMEOUT_MS } from "@aftersales/kit";
import { Kind, OperationTypeNode, parse, type ObjectValueNode, type ValueNode } from "graphql";

/**
 * The gateway's connections to the subgraphs: kept open between requests,
 * and a request the subgraph provably never read sent again when sending it
 * twice cannot do harm.
 *
 * Node's own HTTP client rather than fetch: it says whether a request went
 * out on a connection an earlier request had used (`reusedSocket`), which is
 * what tells a connection the subgraph closed as idle (the request never
 * reached it) from a subgraph that failed while running the request. Fetch
 * reports both as the same network error.
 */

/**
 * How long an idle connection is kept for the next request: far below how
 * long a subgraph keeps it (`KEEP_ALIVE_TIMEOUT_MS`), so that the subgraph
 * does not close a connection for idleness just as the gateway sends on it,
 * even when a busy machine delays either side's timers by seconds. The
 * agent's own timeout decides, whatever `Keep-Alive: timeout` a subgraph
 * announces.
 */
const IDLE_CONNECTION_MS = Math.min(10_000, KEEP_ALIVE_TIMEOUT_MS / 4);

/** How often a request the subgraph never read is sent again (another pooled connection may have been closed at the same moment). */
const MAX_RETRIES = 2;

const agentOptions: http.AgentOptions = { keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: "lifo" };
const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

/** A request as the gateway sends it: a GraphQL operation as JSON. */
export interface SubgraphRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** The request went out on a connection an earlier request had used, and the connection was gone before a byte of the answer came: the subgraph closed it without reading the request. */
class UnreadRequest extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
    this.name = "UnreadRequest";
  }
}

/** The connection broke (rather than, say, a timeout): what a closed idle connection looks like to a request sent on it. */
const connectionLost = (error: NodeJS.ErrnoException) => error.code === "ECONNRESET" || error.code === "EPIPE";

function sendOnce(url: URL, init: SubgraphRequest, signal: AbortSignal): Promise<Response> {
  const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: init.method ?? "POST", headers: init.headers ?? {}, agent, signal });
    let socket: Socket | null = null;
    let readBefore = 0;
    let answered = false;
    request.once("socket", (assigned) => {
      socket = assigned;
      readBefore = assigned.bytesRead;
    });
    request.once("error", (error: NodeJS.ErrnoException) => {
      const unread = !answered && request.reusedSocket && connectionLost(error) && socket?.bytesRead === readBefore;
      reject(unread ? new UnreadRequest(error) : error);
    });
    request.once("response", (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.once("error", reject);
      response.once("close", () => {
        if (!response.complete) return reject(new Error("the subgraph's answer broke off"));
        const headers = new Headers();
        for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) headers.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
        const status = response.statusCode ?? 502;
        const body = chunks.length ? Buffer.concat(chunks) : null;
        resolve(new Response(body, { status, statusText: response.statusMessage ?? "", headers }));
      });
    });
    request.end(init.body);
  });
}

/**
 * Sends a request to a subgraph, giving up after `timeoutMs`. A request the
 * subgraph never read is sent again when that cannot do harm (see
 * `harmlessToRepeat`); a timeout, or a connection that broke after the
 * subgraph may have read the request, is never retried.
 */
export async function sendToSubgraph(url: string, init: SubgraphRequest, timeoutMs: number, onRetry?: (error: Error) => void): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs);
  for (let retries = 0; ; retries++) {
    try {
      return await sendOnce(new URL(url), init, signal);
    } catch (error) {
      if (signal.aborted) throw new Error(`no answer within ${timeoutMs} ms`);
      if (!(error instanceof UnreadRequest)) throw error;
      if (retries >= MAX_RETRIES || !harmlessToRepeat(init.body)) throw error.cause;
      onRetry?.(error.cause);
    }
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
