/**
 * A relay reading the plumbing consumer's (`events_consumer`) stream in a
 * process of its own, for tests that kill one abruptly: it records what it
 * applies as the test's reader does, except that it never finishes its first
 * event. It tells its parent `applying` once it is inside a batch's
 * transaction, holding the lease and the batch unacknowledged, and waits
 * there to be killed.
 *
 * Reads TEST_NATS_URL, STREAM_PREFIX and DATABASE_URL.
 */
import { createLogger } from "@aftersales/kit";
import { startStreamConsumers } from "@aftersales/kit/jetstream";
import { connect } from "@nats-io/transport-node";
import { COUNTED, recordApplied } from "./stream-order.js";

// Its parent gone (a test that timed out), it goes too.
process.on("disconnect", () => process.exit(1));
const nats = await connect({ servers: process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222" });
startStreamConsumers({
  nats,
  streams: { prefix: process.env.STREAM_PREFIX ?? "" },
  consumers: [
    {
      name: "events_consumer",
      database: { kind: "postgres", url: process.env.DATABASE_URL ?? "", poolSize: 1 },
      subscriptions: {
        events_producer: {
          [COUNTED]: async (tx, event) => {
            await recordApplied(tx, event);
            process.send?.("applying");
            await new Promise(() => {});
          },
        },
      },
    },
  ],
  logger: createLogger("stream-reader", { level: (process.env.LOG_LEVEL as "silent" | undefined) ?? "silent" }),
  batch: 10,
});
