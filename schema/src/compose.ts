/**
 * Composes the subgraphs' SDL into `schema/supergraph.graphql`.
 *   npm run compose             writes the file
 *   npm run compose -- --check  fails when the file is stale, composition fails, or a hint is not accepted
 */
import { readFileSync, writeFileSync } from "node:fs";
import { compose, SUPERGRAPH_FILE } from "./index.js";

const check = process.argv.includes("--check");
const { supergraphSdl, errors, hints } = compose();

for (const hint of hints) console.error(`hint ${hint}`);
if (!supergraphSdl) {
  console.error(`Composition failed:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
  process.exit(1);
}
if (hints.length) {
  console.error("Composition gave hints that are not accepted in schema/src/index.ts (ACCEPTED_HINTS).");
  process.exit(1);
}

let current = "";
try {
  current = readFileSync(SUPERGRAPH_FILE, "utf8");
} catch {
  // no file yet
}
if (check) {
  if (current !== supergraphSdl) {
    console.error("schema/supergraph.graphql is stale: run `npm run compose` and commit the result.");
    process.exit(1);
  }
  console.log("schema/supergraph.graphql is up to date.");
} else {
  writeFileSync(SUPERGRAPH_FILE, supergraphSdl);
  console.log(current === supergraphSdl ? "schema/supergraph.graphql unchanged." : "schema/supergraph.graphql written.");
}
