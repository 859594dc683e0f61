import { dealerScopeOf, forbidden, pageOf, requireRole, toConnection } from "@aftersales/kit";
import { listWorklist, WORKLIST_ORDER } from "../db/items.js";
import { WORKS_OUTREACH } from "../domain/access.js";
import type { QueryResolvers } from "../generated/graphql.js";

export const Query: QueryResolvers = {
  outreachWorklist: async (_, { dealerId, filter, first, after }, { db, identity }) => {
    requireRole(identity, WORKS_OUTREACH, "read outreach worklists");
    const own = dealerScopeOf(identity);
    if (own && dealerId && dealerId !== own) throw forbidden(`You act for the dealer \`${own}\`; \`${dealerId}\`'s worklist is not yours.`);
    const page = pageOf({ first, after }, WORKLIST_ORDER);
    const { rows, count } = await listWorklist(
      db,
      {
        dealerId: own ?? dealerId ?? null,
        reasons: filter?.reasons ?? null,
        statuses: filter?.statuses ?? null,
        dueBy: filter?.dueBy ?? null,
        customerId: filter?.customerId ?? null,
      },
      page,
    );
    return toConnection(rows, page, WORKLIST_ORDER, count);
  },
  outreachItem: (_, { id }, { identity, loaders }) => {
    requireRole(identity, WORKS_OUTREACH, "read outreach items");
    return loaders.itemById.load(id);
  },
};
