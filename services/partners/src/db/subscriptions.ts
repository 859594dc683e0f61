import type { EventSubscriptions } from "@aftersales/kit";
import { queueWebhookDeliveries } from "./webhooks.js";

/** Every subgraph that writes events (its `events.produces`); partners hands each dealer's events to its webhook endpoints. */
const PRODUCERS = ["partners", "catalog", "warranty", "tickets"] as const;

/** Every event of every producer: which ones an endpoint takes is its own subscription, decided per event. */
export const subscriptions: EventSubscriptions = Object.fromEntries(PRODUCERS.map((producer) => [producer, { "*": queueWebhookDeliveries }]));
