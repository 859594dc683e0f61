import { EVERY_PRODUCER, type EventSubscriptions } from "@aftersales/kit";
import { queueWebhookDeliveries } from "./webhooks.js";

/**
 * Every event of every subgraph that writes events, partners' own included:
 * partners hands each dealer's events to its webhook endpoints, and which
 * ones an endpoint takes is its own subscription, decided per event.
 */
export const subscriptions: EventSubscriptions = { [EVERY_PRODUCER]: { "*": queueWebhookDeliveries } };
