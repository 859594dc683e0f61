/**
 * Hive Gateway in front of the aftersales subgraphs (see README.md):
 *
 *   node --conditions=@aftersales/source --import tsx tests/peer-gateway/node_modules/@graphql-hive/gateway/dist/bin.js \
 *     supergraph schema/supergraph.graphql --hive-router-runtime -c tests/peer-gateway/gateway.config.ts
 *
 * SUBGRAPH_<NAME>_URL replaces a subgraph's URL in the supergraph, as it does
 * for our gateway; the identity plugin reads the gateway's security settings.
 * DEDUPLICATE_INFLIGHT_REQUESTS=false turns off Hive's sharing of one subgraph
 * answer among identical concurrent subgraph requests (on by default in
 * Hive Gateway); the benchmark measures it both ways.
 */
import { defineConfig } from "@graphql-hive/gateway";
import { readSupergraph, subgraphsIn } from "@aftersales/schema/supergraph";
import { useAftersalesIdentity } from "./identity-plugin.js";

const URL_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

const overrides = Object.fromEntries(
  Object.entries(process.env).flatMap(([variable, url]) => {
    const name = URL_VARIABLE.exec(variable)?.[1];
    return name && url ? [[name.toLowerCase(), url]] : [];
  }),
);
const partnersUrl = overrides["partners"] ?? subgraphsIn(readSupergraph()).find((s) => s.name === "partners")?.url;
if (!partnersUrl) throw new Error("Set SUBGRAPH_PARTNERS_URL: the identity plugin looks API keys and dealers up there.");

const deduplicateInflightRequests = process.env["DEDUPLICATE_INFLIGHT_REQUESTS"] !== "false";
const transportOptions = deduplicateInflightRequests ? {} : { options: { deduplicateInflightRequests: false } };

export const gatewayConfig = defineConfig({
  transportEntries: {
    ...(deduplicateInflightRequests ? {} : { "*.http": transportOptions }),
    ...Object.fromEntries(Object.entries(overrides).map(([name, location]) => [name, { location, ...transportOptions }])),
  },
  plugins: () => [useAftersalesIdentity({ partnersUrl })],
});
