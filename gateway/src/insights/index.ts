import express, { type Express, type Request, type Response } from "express";
import { getOperationAST, Kind, parse, type DocumentNode } from "graphql";
import { flatten, selectionOf, toCsv } from "./csv.js";
import { INSIGHTS_PAGE_CSP, insightsPage } from "./page.js";

export { cell, csvField, flatten, selectionOf, toCsv, type Selection, type Table } from "./csv.js";

export interface InsightsRoutesOptions {
  /**
   * Headers the page sends when its user gives no token (development only,
   * like GraphiQL's), e.g. `{ Authorization: "Bearer <development token>" }`.
   */
  headers?: Record<string, string>;
  /** The most tokens an exported document may have (the gateway's `maxTokens`), checked while parsing. */
  maxTokens: number;
  /** The gateway's own `/graphql`; by default the address and port the request came in on. */
  graphqlUrl?: (req: Request) => string;
}

/** The credentials `/graphql` accepts, forwarded as they came. */
const FORWARDED_HEADERS = ["authorization", "x-api-key"] as const;

/**
 * `GET /insights`: the insights page. `GET /insights.csv?query=&variables=`
 * and `POST /insights.csv` (`{query, variables, operationName}`): the first
 * list of an `insights` (or `outreachInsights`) query's result as CSV. The export asks this
 * gateway's own `/graphql` over HTTP with the caller's credentials, so
 * authentication, limits and each caller's view of the data apply exactly as
 * they do to any other request.
 */
export function serveInsights(app: Express, options: InsightsRoutesOptions): void {
  let page: string | undefined;
  app.get("/insights", (_req, res) => {
    page ??= insightsPage(options.headers);
    res.set({
      "Content-Security-Policy": INSIGHTS_PAGE_CSP,
      // It may carry a development token: never kept by a cache.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    res.type("html").send(page);
  });

  const graphqlUrl = options.graphqlUrl ?? ownGraphqlUrl;
  const exportCsv = async (req: Request, res: Response, request: ExportRequest) => {
    let answer: ExportAnswer;
    try {
      answer = await csvOf(request, { graphqlUrl: graphqlUrl(req), headers: forwardedHeaders(req), maxTokens: options.maxTokens });
    } catch (error) {
      return refuse(res, 502, `The graph could not be asked: ${error instanceof Error ? error.message : String(error)}`);
    }
    res.set({ "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...answer.headers });
    if (answer.status !== 200) return refuse(res, answer.status, answer.body);
    res.status(200).set("Content-Disposition", 'attachment; filename="insights.csv"').type("text/csv; charset=utf-8").send(answer.body);
  };
  app.get("/insights.csv", (req, res) => {
    const variables = req.query.variables;
    let parsed: unknown;
    if (variables !== undefined) {
      if (typeof variables !== "string") return refuse(res, 400, "Give `variables` once, as a JSON object.");
      try {
        parsed = variables.trim() === "" ? undefined : JSON.parse(variables);
      } catch {
        return refuse(res, 400, "`variables` is not JSON; give a JSON object.");
      }
    }
    return exportCsv(req, res, { query: req.query.query, variables: parsed, operationName: req.query.operationName });
  });
  app.post("/insights.csv", express.json({ limit: "1mb" }), (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return refuse(res, 400, 'Send a JSON object: {"query": "...", "variables": {...}}.');
    }
    const { query, variables, operationName } = body as Record<string, unknown>;
    return exportCsv(req, res, { query, variables, operationName });
  });
  // A body that is not JSON (or too large) is the client's mistake, said in plain text.
  app.use("/insights.csv", ((error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) return refuse(res, status, "The body is not a JSON object of at most 1 MB.");
    next(error);
  }) satisfies express.ErrorRequestHandler);
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type("text/plain; charset=utf-8").send(`${message}\n`);
}

/** The address this request reached the gateway on: the gateway's own `/graphql` is there too. */
function ownGraphqlUrl(req: Request): string {
  const address = req.socket.localAddress ?? "127.0.0.1";
  const host = address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}/graphql`;
}

function forwardedHeaders(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.header(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

export interface ExportRequest {
  query: unknown;
  variables: unknown;
  operationName: unknown;
}

export interface ExportAnswer {
  status: number;
  /** The CSV (status 200), or why not, in plain text. */
  body: string;
  headers?: Record<string, string>;
}

/** The root fields whose figures may be exported: feedback's insights and outreach's. */
const INSIGHT_ROOTS = new Set(["insights", "outreachInsights"]);

/**
 * Why `document` may not be exported, or null: only `query` operations whose
 * root fields are all `insights` or `outreachInsights` (an alias is fine;
 * fragments at the root could name anything, so they are not).
 */
export function notAnInsightsQuery(document: DocumentNode): string | null {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length === 0) return "The document has no operation; send an `insights` query.";
  for (const operation of operations) {
    const name = operation.name ? ` ${operation.name.value}` : "";
    if (operation.operation !== "query") return `Only queries of \`insights\` or \`outreachInsights\` are exported; the ${operation.operation}${name} is not.`;
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) return `Only \`insights\` or \`outreachInsights\` may be selected at the root of the query${name}: no fragments.`;
      if (!INSIGHT_ROOTS.has(selection.name.value))
        return `Only \`insights\` or \`outreachInsights\` may be selected at the root of the query${name}, not \`${selection.name.value}\`.`;
    }
  }
  const other = document.definitions.find((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION);
  if (other) return "The document may hold only an operation and its fragments.";
  return null;
}

interface GraphQLBody {
  data?: unknown;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/** The HTTP status a GraphQL error becomes in the export (the graph's own, when it set one). */
function statusOf(httpStatus: number, codes: unknown[]): number {
  if (httpStatus >= 400) return httpStatus;
  if (codes.includes("UNAUTHENTICATED")) return 401;
  if (codes.includes("FORBIDDEN")) return 403;
  if (codes.includes("RATE_LIMITED")) return 429;
  if (codes.includes("INTERNAL_SERVER_ERROR") || codes.includes("SUBGRAPH_UNAVAILABLE")) return 502;
  return 400;
}

/** Checks, asks the graph, and flattens: the export without express. */
export async function csvOf(
  request: ExportRequest,
  context: { graphqlUrl: string; headers: Record<string, string>; maxTokens: number },
): Promise<ExportAnswer> {
  const { query, variables, operationName } = request;
  if (typeof query !== "string" || query.trim() === "") return { status: 400, body: "Give the GraphQL document in `query`." };
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    return { status: 400, body: "`variables` must be a JSON object." };
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return { status: 400, body: "`operationName` must be a string." };
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: context.maxTokens, noLocation: true });
  } catch (error) {
    return { status: 400, body: `The document is not GraphQL: ${error instanceof Error ? error.message : String(error)}` };
  }
  const refusal = notAnInsightsQuery(document);
  if (refusal) return { status: 400, body: refusal };
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) {
    return {
      status: 400,
      body: operationName ? `The document has no operation named ${operationName}.` : "The document has several operations: name one in `operationName`.",
    };
  }

  const response = await fetch(context.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...context.headers },
    body: JSON.stringify({ query, variables: variables ?? {}, ...(operationName ? { operationName } : {}) }),
  });
  const retryAfter = response.headers.get("retry-after");
  const headers: Record<string, string> = retryAfter ? { "Retry-After": retryAfter } : {};
  let body: GraphQLBody;
  try {
    body = (await response.json()) as GraphQLBody;
  } catch {
    return { status: 502, body: `The graph answered HTTP ${response.status} without a GraphQL response.`, headers };
  }
  if (body.errors?.length) {
    const messages = body.errors.map((e) => (typeof e.message === "string" ? e.message : "Unknown error"));
    return {
      status: statusOf(
        response.status,
        body.errors.map((e) => e.extensions?.code),
      ),
      body: messages.join("\n"),
      headers,
    };
  }
  if (!response.ok || body.data === undefined || body.data === null) {
    return { status: response.status >= 400 ? response.status : 502, body: `The graph answered HTTP ${response.status} without data.`, headers };
  }
  const table = flatten(body.data, selectionOf(document, operation));
  if (!table) return { status: 400, body: "The result holds no list to export: select a connection's `edges { node { ... } }` or a list of objects." };
  return { status: 200, body: toCsv(table) };
}
