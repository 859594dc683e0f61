// The compiled services read files beside their code that tsc does not emit:
// a subgraph's schema.graphql, the kit's common.graphql, the insights page.
// They are copied from each package's src/ to the same place under dist/, so
// `new URL("./schema.graphql", import.meta.url)` finds them in both.
// (Migrations and the supergraph sit beside src/, and are found from dist/ as they are.)
import { cpSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const packages = ["gateway", "schema", ...readdirSync(join(root, "services")).map((name) => join("services", name))];
for (const folder of packages) {
  const src = join(root, folder, "src");
  const dist = join(root, folder, "dist");
  if (!existsSync(dist)) throw new Error(`${folder}/dist is missing: run tsc -b first`);
  cpSync(src, dist, { recursive: true, filter: (path) => !path.endsWith(".ts") });
}
