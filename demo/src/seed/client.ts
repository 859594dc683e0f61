/** Sending the seed's operations to the gateway: aliased batches, one request at a time. */
import type { FeedbackSeedClient } from "../feedback.js";
import { createdBy, Refs, type Created, type Operation, type RefKey } from "./operations.js";

/** A refused demo mutation or a GraphQL error while seeding. */
export class DemoSeedError extends Error {
  constructor(
    message: string,
    readonly failures: string[],
  ) {
    super(message);
    this.name = "DemoSeedError";
  }
}

interface UserError {
  code: string;
  message: string;
  field: string[] | null;
}

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The seed's client as the feedback step uses it: requests of its own, and the ids of what the seed created. */
export function feedbackClientOf(client: BatchClient): FeedbackSeedClient {
  return {
    request: (operationName, query, variables, mutations) => client.request(operationName, query, variables, mutations),
    id: (ref) => client.refs.id(ref),
    fail: (message, failures) => {
      throw new DemoSeedError(message, failures);
    },
  };
}

/** Sends operations in aliased batches, one request at a time, and remembers what they created. */
export class BatchClient {
  readonly refs = new Refs();
  requests = 0;
  mutations = 0;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly batchSize: number,
  ) {}

  /**
   * Sends operations in the order given; a request holds one kind of
   * mutation and never an operation that needs what the same request creates.
   */
  async run(operations: readonly Operation[]): Promise<void> {
    let batch: Operation[] = [];
    const creating = new Set<RefKey>();
    for (const operation of operations) {
      // The ids come back with the response, so a dependent operation waits for the next request.
      const full = batch.length >= this.batchSize || batch[0]?.mutation !== operation.mutation;
      if (batch.length && (full || operation.needs.some((need) => creating.has(need)))) {
        await this.send(batch);
        batch = [];
        creating.clear();
      }
      batch.push(operation);
      for (const key of createdBy(operation)) creating.add(key);
    }
    if (batch.length) await this.send(batch);
  }

  /**
   * Sends independent streams of operations (a unit's events, a stock line's
   * changes), each stream in its order. Requests are filled with one kind of
   * mutation, taken from whichever streams are ready for it, so most of them
   * are the same document at full size: the gateway plans it once, and the
   * servers parse and validate it once. A stream's operation that needs what
   * its previous one creates (a ticket's next version) waits for the next
   * request.
   */
  async runStreams(streams: readonly (readonly Operation[])[]): Promise<void> {
    const next = streams.map(() => 0);
    for (;;) {
      const ready = new Map<string, number>();
      streams.forEach((stream, s) => {
        const head = stream[next[s]!];
        if (head) ready.set(head.mutation, (ready.get(head.mutation) ?? 0) + 1);
      });
      if (ready.size === 0) return;
      // The mutation most streams are waiting for (ties by name, to stay deterministic).
      const [mutation] = [...ready].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]!;
      const batch: Operation[] = [];
      const creating = new Set<RefKey>();
      for (let s = 0; s < streams.length && batch.length < this.batchSize; s++) {
        const stream = streams[s]!;
        for (let head = stream[next[s]!]; batch.length < this.batchSize && head?.mutation === mutation; head = stream[next[s]!]) {
          if (head.needs.some((need) => creating.has(need))) break;
          batch.push(head);
          for (const key of createdBy(head)) creating.add(key);
          next[s] = next[s]! + 1;
        }
      }
      await this.send(batch);
    }
  }

  private async send(batch: readonly Operation[]): Promise<void> {
    const variables: Record<string, unknown> = {};
    const declarations: string[] = [];
    const fields: string[] = [];
    batch.forEach((operation, i) => {
      for (const need of operation.needs) {
        if (!this.refs.has(need)) throw new Error(`Demo seed bug: ${operation.label} needs ${need}, which nothing created before.`);
      }
      variables[`v${i}`] = operation.input(this.refs);
      declarations.push(`$v${i}: ${operation.inputType}!`);
      const also = operation.creates?.also?.length ? ` ${operation.creates.also.join(" ")}` : "";

      const created = operation.creates
        ? ` ${operation.creates.field} { id version${also} }`
        : operation.createsEach
          ? ` ${operation.createsEach.field} { id version }`
          : "";
      fields.push(`m${i}: ${operation.mutation}(input: $v${i}) { errors { code message field }${created} }`);
    });
    const query = `mutation DemoSeed(${declarations.join(", ")}) {\n  ${fields.join("\n  ")}\n}`;
    const { response, body } = await this.post("DemoSeed", query, variables);

    const failures: string[] = [];
    const labelOf = (alias: unknown) => {
      const operation = typeof alias === "string" && /^m\d+$/.test(alias) ? batch[Number(alias.slice(1))] : undefined;
      return operation ? `${operation.label} [${alias as string}: ${operation.mutation}]` : "the request";
    };
    for (const error of body.errors ?? []) {
      failures.push(`${labelOf(error.path?.[0])}: GraphQL error ${String(error.extensions?.code ?? "")}: ${error.message}`);
    }
    batch.forEach((operation, i) => {
      const payload = body.data?.[`m${i}`];
      if (payload === undefined || payload === null) {
        if (!body.errors?.length) failures.push(`${labelOf(`m${i}`)}: no payload came back`);
        return;
      }
      const { errors, ...rest } = payload as { errors?: UserError[] } & Record<string, unknown>;
      if (errors?.length) {
        const reasons = errors.map((e) => `${e.code}${e.field ? ` at ${e.field.join(".")}` : ""}: ${e.message}`).join("; ");
        failures.push(`${labelOf(`m${i}`)} refused: ${reasons}`);
        return;
      }
      if (operation.creates) {
        const created = rest[operation.creates.field] as (Partial<Created> & Record<string, unknown>) | null | undefined;
        if (typeof created?.id !== "string" || typeof created.version !== "number") {
          failures.push(`${labelOf(`m${i}`)}: the payload has no ${operation.creates.field}`);
          return;
        }
        const names = operation.creates.also?.map((selection) => selection.split(/[\s{]/)[0]!);
        const also = names ? Object.fromEntries(names.map((name) => [name, created[name]])) : undefined;
        this.refs.set(operation.creates.as, { id: created.id, version: created.version, ...(also ? { also } : {}) });
      }
      if (operation.createsEach) {
        const { field, as } = operation.createsEach;
        const list = rest[field] as Partial<Created>[] | null | undefined;
        if (!Array.isArray(list) || list.length !== as.length) {
          failures.push(`${labelOf(`m${i}`)}: the payload lists ${Array.isArray(list) ? list.length : "no"} ${field}, not ${as.length}`);
          return;
        }
        for (const [k, created] of list.entries()) this.refs.set(as[k]!, { id: String(created.id), version: Number(created.version) });
      }
    });
    this.mutations += batch.length;
    if (failures.length || !response.ok) {
      const shown = failures.slice(0, 10);
      const more = failures.length > shown.length ? `\n  ... and ${failures.length - shown.length} more` : "";
      throw new DemoSeedError(
        `The demo seed failed (HTTP ${response.status}) on ${failures.length || "an unexplained"} of ${batch.length} mutations in one request:\n  ${shown.join("\n  ")}${more}`,
        failures,
      );
    }
  }

  /**
   * One operation of the seed's own (not a batch of demo objects): its data,
   * or a DemoSeedError on a GraphQL error. `mutations` counts toward the summary.
   */
  async request<T>(operationName: string, query: string, variables: Record<string, unknown> = {}, mutations = 0): Promise<T> {
    const { response, body } = await this.post(operationName, query, variables);
    if (body.errors?.length || !response.ok || !body.data) {
      const reasons = (body.errors ?? []).map((e) => `${String(e.extensions?.["code"] ?? "")}: ${e.message}`);
      throw new DemoSeedError(`The demo seed's ${operationName} failed (HTTP ${response.status}): ${reasons.join("; ") || "no reason given"}`, reasons);
    }
    this.mutations += mutations;
    return body.data as T;
  }

  /** One GraphQL request to the gateway, as the seed's ADMIN. */
  private async post(operationName: string, query: string, variables: Record<string, unknown>): Promise<{ response: Response; body: GraphQLResponse }> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ operationName, query, variables }),
      });
    } catch (error) {
      throw new DemoSeedError(`Cannot reach the gateway at ${this.url}: ${String(error)}`, []);
    }
    this.requests++;
    const text = await response.text();
    try {
      return { response, body: JSON.parse(text) as GraphQLResponse };
    } catch {
      throw new DemoSeedError(`The gateway answered HTTP ${response.status} with something other than JSON: ${text.slice(0, 500)}`, []);
    }
  }
}
