/**
 * Renders each environment's manifests to infra/k8s/<environment>.yaml,
 * every object checked against the Kubernetes API schema first.
 *   npm run k8s               writes the files
 *   npm run k8s -- --check    fails when an object is invalid or a file is not what it renders to
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runMain, CommandError } from "@aftersales/kit";
import { environments } from "./environments.js";
import { renderYaml } from "./yaml.js";

const fileOf = (name: string) => fileURLToPath(new URL(`../${name}.yaml`, import.meta.url));

runMain(async () => {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const environment of environments) {
    const file = fileOf(environment.name);
    const yaml = renderYaml(environment);
    if (!check) {
      writeFileSync(file, yaml);
      console.log(`wrote infra/k8s/${environment.name}.yaml`);
      continue;
    }
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {
      // a missing file is stale too
    }
    if (current !== yaml) stale.push(`infra/k8s/${environment.name}.yaml`);
  }
  if (stale.length) throw new CommandError(`${stale.join(", ")} not what infra/k8s/src renders: run \`npm run k8s\` and commit the result.`);
  if (check) console.log(`infra/k8s: ${environments.map((e) => e.name).join(", ")} valid and up to date`);
});
