import { readFileSync } from "node:fs";
import { subgraphs } from "@aftersales/schema";
import { Deployment } from "kubernetes-models/apps/v1";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { environments } from "../src/environments.js";
import { DRAIN_MS, manifests } from "../src/manifests.js";
import { renderYaml } from "../src/yaml.js";

type Manifest = { kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: Record<string, string> };

/** What `kubectl apply -f infra/k8s/<environment>.yaml` reads. */
const committed = (name: string): Manifest[] =>
  parseAllDocuments(readFileSync(new URL(`../${name}.yaml`, import.meta.url), "utf8"))
    .map((document) => document.toJS() as Manifest | null)
    .filter((document): document is Manifest => document !== null);

const DEPLOYABLES = ["gateway", ...subgraphs.map((subgraph) => subgraph.name), "relay", "scheduler"];

describe.each(environments)("the $name manifests", (environment) => {
  const objects = committed(environment.name);
  const named = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);
  const containerOf = (name: string) => named("Deployment", name)!.spec.template.spec.containers[0];

  it("are what infra/k8s/src renders, and valid against the Kubernetes schemas", () => {
    expect(readFileSync(new URL(`../${environment.name}.yaml`, import.meta.url), "utf8")).toBe(renderYaml(environment));
    expect(objects.length).toBe(manifests(environment).length);
  });

  it("deploy every part of the graph into the environment's namespace, from one image", () => {
    expect(
      objects
        .filter((object) => object.kind === "Deployment")
        .map((object) => object.metadata.name)
        .sort(),
    ).toEqual([...DEPLOYABLES].sort());
    for (const object of objects.filter((object) => object.kind !== "Namespace")) expect(object.metadata.namespace).toBe(environment.namespace);
    for (const name of DEPLOYABLES) {
      expect(containerOf(name).image).toBe(environment.image);
      expect(containerOf(name).command[0]).toBe("node");
      expect(containerOf(name).command[1]).toMatch(/dist\/[a-z]+\.js$/);
    }
  });

  it("send traffic only to ready pods, restart dead ones, and let a stopping pod drain its requests", () => {
    for (const name of DEPLOYABLES) {
      const container = containerOf(name);
      expect(container.readinessProbe.httpGet.path, name).toBe("/ready");
      expect(container.livenessProbe.httpGet.path, name).toBe("/health");
      expect(container.lifecycle.preStop.exec.command[0], name).toBe("sleep");
      const preStop = Number(container.lifecycle.preStop.exec.command[1]);
      expect(named("Deployment", name)!.spec.template.spec.terminationGracePeriodSeconds, name).toBeGreaterThan(preStop + DRAIN_MS / 1000);
      expect(container.securityContext.runAsNonRoot, name).toBe(true);
    }
  });

  it("take every secret from a Secret by reference, none written out", () => {
    for (const object of objects.filter((object) => object.kind === "Deployment" || object.kind === "Job")) {
      for (const variable of object.spec.template.spec.containers[0].env ?? []) {
        if (/SECRET|PASSWORD|DATABASE_URL/.test(variable.name)) {
          expect(variable.value, `${object.metadata.name} ${variable.name}`).toBeUndefined();
          expect(variable.valueFrom.secretKeyRef.name, `${object.metadata.name} ${variable.name}`).toMatch(/^(aftersales-|[a-z]+-database$)/);
        }
      }
    }
    expect(objects.filter((object) => object.kind === "Secret")).toEqual([]);
    expect(Object.keys(named("ConfigMap", "aftersales")!.data!).filter((key) => /SECRET|PASSWORD|DATABASE/.test(key))).toEqual([]);
  });

  it("migrate each subgraph in a Job of the release, and start its replicas without migrating", () => {
    for (const { name } of subgraphs) {
      const job = named("Job", `${name}-migrate-${environment.release}`);
      expect(job?.spec.template.spec.containers[0].command, name).toEqual(["node", `services/${name}/dist/index.js`, "migrate"]);
      expect(containerOf(name).env).toContainEqual({ name: "MIGRATE_ON_START", value: "false" });
    }
  });

  it("scale the gateway and the subgraphs on load, and keep every part available through a node's drain", () => {
    for (const name of ["gateway", ...subgraphs.map((subgraph) => subgraph.name)]) {
      expect(named("HorizontalPodAutoscaler", name)?.spec.scaleTargetRef.name, name).toBe(name);
      expect(named("Deployment", name)!.spec.replicas, `${name} leaves its count to the autoscaler`).toBeUndefined();
    }
    for (const name of DEPLOYABLES) expect(named("PodDisruptionBudget", name)?.spec.maxUnavailable, name).toBe(1);
  });

  it("let only the gateway and the subgraphs that ask it reach a subgraph", () => {
    const callers = (name: string) =>
      named("NetworkPolicy", name)!
        .spec.ingress.flatMap((rule: any) => rule.from ?? [])
        .map((from: any) => from.podSelector?.matchLabels["app.kubernetes.io/name"])
        .filter(Boolean)
        .sort();
    expect(callers("catalog")).toEqual(["feedback", "gateway", "tickets", "warranty"]);
    expect(callers("feedback")).toEqual(["gateway"]);
    expect(callers("relay")).toEqual([]);
    // and Prometheus, from its namespace, on the port /metrics is on
    const monitoring = named("NetworkPolicy", "gateway")!.spec.ingress.find((rule: any) => rule.from?.[0]?.namespaceSelector);
    expect(monitoring.ports).toEqual([{ protocol: "TCP", port: 9464 }]);
    expect(named("Deployment", "gateway")!.spec.template.metadata.annotations["prometheus.io/port"]).toBe("9464");
  });
});

it("refuses an object the Kubernetes schema does not allow", () => {
  const broken = new Deployment({ metadata: { name: "broken" }, spec: { replicas: "two" as unknown as number, selector: {}, template: {} } });
  expect(() => broken.validate()).toThrow(/replicas/);
});
