import { ConfigError } from "@aftersales/kit";
import { z } from "zod";

/** How much one operation, and one credential per minute, may ask of the graph. */
export interface LimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxCost: number;
  requestsPerMinute: number;
  costPerMinute: number;
}

/**
 * Each limit is inclusive: an operation exactly at a limit runs, one past it
 * is refused. Costs are `estimateCost` points (about one per resolved field).
 */
export const DEFAULT_LIMITS: LimitSettings = {
  // Armor counts a top-level field as depth 1, fragments flattened. A
  // connection hop takes three levels (field, edges, node): 12 is four hops,
  // e.g. customers → units → product → billOfMaterials → part → name is 10.
  maxDepth: 12,
  // A client aliases a few fields (two products by SKU); each alias repeats
  // resolver work, so many of them are batching an attack into one request.
  maxAliases: 15,
  // Checked before parsing, so a huge document is refused before parse and
  // validation (which is superlinear) spend time on it. The README's first
  // query has 107 tokens, GraphiQL's introspection query under 200.
  maxTokens: 3000,
  // @skip/@include on a handful of fields is normal use; armor's own default
  // (50) leaves room for directive-overloading requests.
  maxDirectives: 10,
  // The README's first query costs 597; 100 customers by name with their
  // first 20 units (serial number, product name) 8,402. The bills of
  // materials of 100 customers' first 20 units cost 48,302 (up to 20,000 BOM
  // lines): an export, to be paged (20 customers a page cost 9,662).
  maxCost: 10_000,
  // Ten requests a second, sustained, per credential: a screen sends a few,
  // an integration that needs more pages should ask for bigger pages.
  requestsPerMinute: 600,
  // Ten maximal operations a minute, or 600 requests of cost 166 on average:
  // ordinary traffic meets the request limit first, heavy queries this one.
  costPerMinute: 100_000,
};

const limit = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** The limits' environment variables, to spread into an entry point's `z.object({...})`. */
export const limitsEnv = {
  LIMIT_MAX_DEPTH: limit(DEFAULT_LIMITS.maxDepth),
  LIMIT_MAX_ALIASES: limit(DEFAULT_LIMITS.maxAliases),
  LIMIT_MAX_TOKENS: limit(DEFAULT_LIMITS.maxTokens),
  LIMIT_MAX_DIRECTIVES: limit(DEFAULT_LIMITS.maxDirectives),
  LIMIT_MAX_COST: limit(DEFAULT_LIMITS.maxCost),
  RATE_LIMIT_REQUESTS_PER_MINUTE: limit(DEFAULT_LIMITS.requestsPerMinute),
  RATE_LIMIT_COST_PER_MINUTE: limit(DEFAULT_LIMITS.costPerMinute),
};

const limitsModel = z.object(limitsEnv);
export type LimitsEnv = z.infer<typeof limitsModel>;

export function limitSettingsOf(parsed: LimitsEnv): LimitSettings {
  const settings: LimitSettings = {
    maxDepth: parsed.LIMIT_MAX_DEPTH,
    maxAliases: parsed.LIMIT_MAX_ALIASES,
    maxTokens: parsed.LIMIT_MAX_TOKENS,
    maxDirectives: parsed.LIMIT_MAX_DIRECTIVES,
    maxCost: parsed.LIMIT_MAX_COST,
    requestsPerMinute: parsed.RATE_LIMIT_REQUESTS_PER_MINUTE,
    costPerMinute: parsed.RATE_LIMIT_COST_PER_MINUTE,
  };
  // Otherwise an operation the cost limit lets through could never be afforded.
  if (settings.maxCost > settings.costPerMinute) {
    throw new ConfigError([`LIMIT_MAX_COST (${settings.maxCost}) must not exceed RATE_LIMIT_COST_PER_MINUTE (${settings.costPerMinute})`]);
  }
  return settings;
}
