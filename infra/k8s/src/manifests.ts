/**
 * Every deployable of the graph on Kubernetes, as typed objects: the gateway,
 * each subgraph with its migration Job, the event relay and the scheduler,
 * with their Services, autoscalers, disruption budgets and network policies.
 * One image runs them all (infra/Dockerfile); an environment (environments.ts)
 * says what differs between clusters. Each object is checked against the
 * Kubernetes API schema as it is rendered (`render`).
 *
 * Secrets are referenced by name and key, never written here; an operator
 * creates them (docs/operations.md):
 *   aftersales-identity   IDENTITY_SIGNING_KEY  the gateway's private key it signs callers' identities with (gateway only)
 *                         IDENTITY_JWKS     the public keys subgraphs check those identities with (`npm run identity-key`)
 *   aftersales-jwt        JWT_SECRET        tokens are checked (gateway) and signed (scheduler) with it
 *   <subgraph>-database   DATABASE_URL      that subgraph's database, as its own role (owner)
 *   scheduler-database    DATABASE_URL      the scheduler's database
 */
import { subgraphs } from "@aftersales/schema";
import type { Model } from "@kubernetes-models/base";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { ConfigMap, Namespace, Service } from "kubernetes-models/v1";
import type { IContainer, IEnvVar, IPodSpec } from "kubernetes-models/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { Environment, Resources } from "./environments.js";

/** Where every HTTP deployable listens in its container (PORT). */
export const HTTP_PORT = 4000;
/** Where the gateway serves /metrics, apart from the public port (METRICS_PORT). */
export const GATEWAY_METRICS_PORT = 9464;
/** What the services give the requests they accepted on SIGTERM (SHUTDOWN_DRAIN_MS). */
export const DRAIN_MS = 25_000;
/** How long a stopping pod keeps serving before SIGTERM, while it leaves the Services' endpoints. */
const PRE_STOP_SECONDS = 5;

const PART_OF = "aftersales";
const CONFIG = "aftersales";

const labelsOf = (name: string, component: string) => ({
  "app.kubernetes.io/name": name,
  "app.kubernetes.io/component": component,
  "app.kubernetes.io/part-of": PART_OF,
});
const selectorOf = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": PART_OF });

const fromSecret = (name: string, secret: string, key: string): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const databaseSecretOf = (deployable: string) => `${deployable}-database`;
const databaseVariableOf = (subgraph: string) => `${subgraph.toUpperCase()}_DATABASE_URL`;
const urlVariableOf = (subgraph: string) => `SUBGRAPH_${subgraph.toUpperCase()}_URL`;
/** What every subgraph's database URL is read from, under the relay's and the scheduler's names for it. */
const everyDatabase = (): IEnvVar[] => subgraphs.map(({ name }) => fromSecret(databaseVariableOf(name), databaseSecretOf(name), "DATABASE_URL"));

/** The container every deployable runs: the image, non-root, read-only, with the graph's shared settings. */
function container(environment: Environment, command: string[], env: IEnvVar[], resources: Resources): IContainer {
  return {
    name: "app",
    image: environment.image,
    imagePullPolicy: "IfNotPresent",
    command,
    envFrom: [{ configMapRef: { name: CONFIG } }],
    env,
    resources: { requests: resources.requests, limits: resources.limits },
    securityContext: {
      runAsNonRoot: true,
      // The image's `node` user; Kubernetes checks runAsNonRoot by number only.
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

/**
 * A pod that serves HTTP on PORT: readiness on /ready (503 while it drains or
 * its dependencies do not answer), liveness on /health (any answer at all), a
 * pause before SIGTERM while the endpoints forget it, and time to drain after.
 */
function servingPod(app: IContainer, metricsPort: number): { spec: IPodSpec; annotations: Record<string, string> } {
  const probe = (path: string) => ({ httpGet: { path, port: "http" }, periodSeconds: 10, timeoutSeconds: 3 });
  return {
    annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(metricsPort), "prometheus.io/path": "/metrics" },
    spec: {
      terminationGracePeriodSeconds: PRE_STOP_SECONDS + Math.ceil(DRAIN_MS / 1000) + 10,
      automountServiceAccountToken: false,
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      volumes: [{ name: "tmp", emptyDir: {} }],
      containers: [
        {
          ...app,
          ports: [{ name: "http", containerPort: HTTP_PORT }, ...(metricsPort === HTTP_PORT ? [] : [{ name: "metrics", containerPort: metricsPort }])],
          env: [{ name: "PORT", value: String(HTTP_PORT) }, ...(app.env ?? [])],
          startupProbe: { ...probe("/health"), periodSeconds: 2, failureThreshold: 60 },
          readinessProbe: { ...probe("/ready"), failureThreshold: 2 },
          livenessProbe: { ...probe("/health"), failureThreshold: 3 },
          lifecycle: { preStop: { exec: { command: ["sleep", String(PRE_STOP_SECONDS)] } } },
        },
      ],
    },
  };
}

interface Deployable {
  name: string;
  component: "gateway" | "subgraph" | "relay" | "scheduler";
  command: string[];
  env: IEnvVar[];
  metricsPort: number;
  resources: Resources;
  /** Fixed replicas, or bounds an autoscaler keeps them in. */
  replicas: number | { min: number; max: number };
}

function deploymentOf(environment: Environment, deployable: Deployable): Model<unknown>[] {
  const { name, component } = deployable;
  const labels = labelsOf(name, component);
  const pod = servingPod(container(environment, deployable.command, deployable.env, deployable.resources), deployable.metricsPort);
  const scaled = typeof deployable.replicas !== "number";
  const minimum = typeof deployable.replicas === "number" ? deployable.replicas : deployable.replicas.min;
  const objects: Model<unknown>[] = [
    new Deployment({
      metadata: { name, labels },
      spec: {
        // An autoscaled Deployment leaves the count to its autoscaler, so applying again keeps it.
        ...(scaled ? {} : { replicas: minimum }),
        selector: { matchLabels: selectorOf(name) },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: { metadata: { labels, annotations: pod.annotations }, spec: pod.spec },
      },
    }),
    // A node drained for maintenance takes one replica at a time.
    new PodDisruptionBudget({
      metadata: { name, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(name) } },
    }),
  ];
  if (typeof deployable.replicas !== "number") {
    objects.push(
      new HorizontalPodAutoscaler({
        metadata: { name, labels },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
          minReplicas: deployable.replicas.min,
          maxReplicas: deployable.replicas.max,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
          // Down slowly: a burst that ends is often followed by the next.
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      }),
    );
  }
  const ports = [
    { name: "http", port: HTTP_PORT, targetPort: "http" },
    ...(deployable.metricsPort === HTTP_PORT ? [] : [{ name: "metrics", port: deployable.metricsPort, targetPort: "metrics" }]),
  ];
  objects.push(new Service({ metadata: { name, labels }, spec: { selector: selectorOf(name), ports } }));
  return objects;
}

/**
 * Who may open connections to a deployable: `from` (pod names in this
 * namespace, or everyone), and Prometheus from its namespace on the metrics port.
 */
function ingressPolicy(environment: Environment, name: string, from: readonly string[] | "everyone", ports: { http: number; metrics: number }): NetworkPolicy {
  const tcp = (port: number) => [{ protocol: "TCP" as const, port }];
  const monitoring = {
    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": environment.monitoringNamespace } } }],
    ports: tcp(ports.metrics),
  };
  const callers =
    from === "everyone"
      ? [{ ports: tcp(ports.http) }]
      : from.length
        ? [{ from: from.map((caller) => ({ podSelector: { matchLabels: selectorOf(caller) } })), ports: tcp(ports.http) }]
        : [];
  return new NetworkPolicy({
    metadata: { name, labels: labelsOf(name, "network-policy") },
    spec: { podSelector: { matchLabels: selectorOf(name) }, policyTypes: ["Ingress"], ingress: [...callers, monitoring] },
  });
}

/** The subgraphs that ask `name` about records their copies lack yet (its peers' callers). */
export const callersOf = (name: string) => subgraphs.filter((subgraph) => subgraph.peers.includes(name)).map((subgraph) => subgraph.name);

/** A subgraph's migrations, run once per release before its replicas roll (they start with MIGRATE_ON_START=false). */
function migrationJob(environment: Environment, subgraph: string): Job {
  const name = `${subgraph}-migrate-${environment.release}`;
  const labels = labelsOf(`${subgraph}-migrate`, "migration");
  const app = container(
    environment,
    ["node", `services/${subgraph}/dist/index.js`, "migrate"],
    [fromSecret("DATABASE_URL", databaseSecretOf(subgraph), "DATABASE_URL")],
    environment.resources.migration,
  );
  return new Job({
    metadata: { name, labels },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          volumes: [{ name: "tmp", emptyDir: {} }],
          containers: [app],
        },
      },
    },
  });
}

/** Every object of one environment, in the order `kubectl apply` should create them. */
export function manifests(environment: Environment): Model<unknown>[] {
  const gatewayUrl = `http://gateway:${HTTP_PORT}/graphql`;
  const objects: Model<unknown>[] = [
    new Namespace({ metadata: { name: environment.namespace, labels: { "app.kubernetes.io/part-of": PART_OF } } }),
    new ConfigMap({
      metadata: { name: CONFIG, labels: labelsOf(CONFIG, "config") },
      data: {
        NODE_ENV: "production",
        LOG_LEVEL: "info",
        SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
        NATS_URL: environment.natsUrl,
        REDIS_URL: environment.redisUrl,
        PUBLIC_URL: environment.publicUrl,
        GATEWAY_URL: gatewayUrl,
        ...Object.fromEntries(subgraphs.map(({ name }) => [urlVariableOf(name), `http://${name}:${HTTP_PORT}/graphql`])),
      },
    }),
  ];
  // The private key goes to the gateway alone: a subgraph that could sign identities could act as anyone.
  const signingKey = fromSecret("IDENTITY_SIGNING_KEY", "aftersales-identity", "IDENTITY_SIGNING_KEY");
  const identityKeys = fromSecret("IDENTITY_JWKS", "aftersales-identity", "IDENTITY_JWKS");
  const jwt = fromSecret("JWT_SECRET", "aftersales-jwt", "JWT_SECRET");

  for (const { name } of subgraphs) {
    objects.push(migrationJob(environment, name));
    objects.push(
      ...deploymentOf(environment, {
        name,
        component: "subgraph",
        command: ["node", `services/${name}/dist/index.js`],
        env: [{ name: "MIGRATE_ON_START", value: "false" }, fromSecret("DATABASE_URL", databaseSecretOf(name), "DATABASE_URL"), identityKeys],
        metricsPort: HTTP_PORT,
        resources: environment.resources.subgraph,
        replicas: environment.replicas.subgraph,
      }),
    );
    // The gateway routes to it; its peers ask it. The relay and the scheduler never call a subgraph.
    objects.push(ingressPolicy(environment, name, ["gateway", ...callersOf(name)], { http: HTTP_PORT, metrics: HTTP_PORT }));
  }

  objects.push(
    ...deploymentOf(environment, {
      name: "gateway",
      component: "gateway",
      command: ["node", "gateway/dist/index.js"],
      env: [{ name: "METRICS_PORT", value: String(GATEWAY_METRICS_PORT) }, signingKey, jwt],
      metricsPort: GATEWAY_METRICS_PORT,
      resources: environment.resources.gateway,
      replicas: environment.replicas.gateway,
    }),
    // The public reaches it through the cluster's ingress; its metrics only from Prometheus.
    ingressPolicy(environment, "gateway", "everyone", { http: HTTP_PORT, metrics: GATEWAY_METRICS_PORT }),
    // Relays share the work by leases (one per producer and consumer), so a second one is a standby, not more throughput.
    ...deploymentOf(environment, {
      name: "relay",
      component: "relay",
      command: ["node", "gateway/dist/relay.js"],
      env: everyDatabase(),
      metricsPort: HTTP_PORT,
      resources: environment.resources.relay,
      replicas: environment.replicas.relay,
    }),
    ingressPolicy(environment, "relay", [], { http: HTTP_PORT, metrics: HTTP_PORT }),
    // Each job runs once per period whatever the count: replicas are for a crashed one's runs to be taken over.
    ...deploymentOf(environment, {
      name: "scheduler",
      component: "scheduler",
      command: ["node", "gateway/dist/scheduler.js"],
      env: [fromSecret("DATABASE_URL", databaseSecretOf("scheduler"), "DATABASE_URL"), jwt, ...everyDatabase()],
      metricsPort: HTTP_PORT,
      resources: environment.resources.scheduler,
      replicas: environment.replicas.scheduler,
    }),
    ingressPolicy(environment, "scheduler", [], { http: HTTP_PORT, metrics: HTTP_PORT }),
  );
  for (const object of objects) {
    const metadata = (object as { metadata?: { namespace?: string } }).metadata;
    if (metadata && !(object instanceof Namespace)) metadata.namespace = environment.namespace;
  }
  return objects;
}
