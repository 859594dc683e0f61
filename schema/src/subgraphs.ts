import type { Subgraph } from "@aftersales/kit";
import { feedback } from "@aftersales/feedback";
import { catalog } from "@aftersales/catalog";
import { partners } from "@aftersales/partners";
import { tickets } from "@aftersales/tickets";
import { warranty } from "@aftersales/warranty";

/** Every subgraph of the graph, in the order they start. */
export const subgraphs: readonly Subgraph[] = [partners, catalog, warranty, tickets, feedback];
