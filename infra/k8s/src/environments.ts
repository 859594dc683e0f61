/**
 * What differs between the clusters the graph runs in: the overlays over the
 * one set of manifests (manifests.ts). Everything else is the same everywhere.
 */
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

export interface Environment {
  name: string;
  namespace: string;
  /** The image every deployable runs (infra/Dockerfile), pinned to a release. */
  image: string;
  /** Names this release's migration Jobs (a Job cannot be changed once applied). */
  release: string;
  /** The gateway as people reach it from outside: survey links point there. */
  publicUrl: string;
  natsUrl: string;
  redisUrl: string;
  /** Where Prometheus runs: its pods may scrape /metrics. */
  monitoringNamespace: string;
  replicas: {
    gateway: { min: number; max: number };
    subgraph: { min: number; max: number };
    relay: number;
    scheduler: number;
  };
  resources: Record<"gateway" | "subgraph" | "relay" | "scheduler" | "migration", Resources>;
}

// No CPU limit: a throttled Node process answers late rather than using an idle core.
const sized = (cpu: string, memory: string, limit: string): Resources => ({ requests: { cpu, memory }, limits: { memory: limit } });

const release = "1.0.0";

export const environments: Environment[] = [
  {
    name: "staging",
    namespace: "aftersales-staging",
    image: `registry.example.com/aftersales:${release}`,
    release: release.replaceAll(".", "-"),
    publicUrl: "https://aftersales.staging.example.com",
    natsUrl: "nats://nats.nats:4222",
    redisUrl: "redis://redis.redis:6379",
    monitoringNamespace: "monitoring",
    replicas: { gateway: { min: 1, max: 3 }, subgraph: { min: 1, max: 3 }, relay: 1, scheduler: 1 },
    resources: {
      gateway: sized("100m", "256Mi", "512Mi"),
      subgraph: sized("100m", "256Mi", "512Mi"),
      relay: sized("50m", "192Mi", "384Mi"),
      scheduler: sized("50m", "192Mi", "384Mi"),
      migration: sized("50m", "192Mi", "384Mi"),
    },
  },
  {
    name: "production",
    namespace: "aftersales",
    image: `registry.example.com/aftersales:${release}`,
    release: release.replaceAll(".", "-"),
    publicUrl: "https://aftersales.example.com",
    natsUrl: "nats://nats.nats:4222",
    redisUrl: "redis://redis.redis:6379",
    monitoringNamespace: "monitoring",
    replicas: { gateway: { min: 3, max: 12 }, subgraph: { min: 2, max: 8 }, relay: 2, scheduler: 2 },
    resources: {
      gateway: sized("500m", "512Mi", "1Gi"),
      subgraph: sized("250m", "384Mi", "768Mi"),
      relay: sized("100m", "256Mi", "512Mi"),
      scheduler: sized("100m", "256Mi", "512Mi"),
      migration: sized("100m", "256Mi", "512Mi"),
    },
  },
];
