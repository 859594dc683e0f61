import { subscriptionsFrom, type EventSubscriptions, type Subgraph } from "@aftersales/kit";
import { feedback } from "@aftersales/feedback";
import { catalog } from "@aftersales/catalog";
import { partners } from "@aftersales/partners";
import { tickets } from "@aftersales/tickets";
import { warranty } from "@aftersales/warranty";
import { outreach } from "@aftersales/outreach";

/** Every subgraph of the graph, in the order they start. */
export const subgraphs: readonly Subgraph[] = [partners, catalog, warranty, tickets, feedback, outreach];

/** The subgraphs that write domain events. */
export const producers: readonly string[] = subgraphs.filter((subgraph) => subgraph.produces).map((subgraph) => subgraph.name);

export interface EventConsumer {
  name: string;
  /** By producing subgraph; a subscription to every producer is given to each. */
  subscriptions: EventSubscriptions;
}

/** The subgraphs that apply domain events, with what they apply: what every relay hands on. */
export const eventConsumers: readonly EventConsumer[] = subgraphs
  .filter((subgraph) => Object.keys(subgraph.consumes).length)
  .map((subgraph) => ({ name: subgraph.name, subscriptions: subscriptionsFrom(subgraph.consumes, producers) }));
