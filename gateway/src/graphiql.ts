import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { Express } from "express";

const WELCOME = `# Welcome to the aftersales graph: press the run button (Ctrl-Enter).
# The docs pane describes every type and field.
`;

/** Said when the page carries no token: the first run would only meet a 401. */
const NO_TOKEN = `# Every request needs a token: put {"Authorization": "Bearer <token>"} in the
# Headers pane below. With \`npm start\`, \`npm run token -- --role AGENT\` prints one.
`;

const FIRST_QUERY = `query FirstLook {
  units(first: 5, filter: { statuses: [INSTALLED] }) {
    edges {
      node {
        serialNumber
        product { name sku lifecycleStage }
        customer { name address { city } }     # from the partners subgraph
        soldBy { name calendar { timeZone } }  # from the partners subgraph
        events { kind occurredOn statusAfter }
      }
    }
  }
  dealers(first: 2, filter: { kinds: [DEALER, BOTH] }) {
    edges {
      node {
        name
        replenishmentDue(within: 7) {
          edges { node { customer { name email } product { name } runsOutOn daysLeft explanation } }
        }
      }
    }
  }
}
`;

/**
 * GraphiQL at `GET /graphql` for browsers. The page carries its whole bundle
 * inline (no CDN), so it works offline and behind strict firewalls. `headers`
 * fill its headers editor (the embedded graph puts a development token there
 * while it listens on loopback only); without them the first query says how
 * to get a token.
 */
export function serveGraphiQL(app: Express, headers: Record<string, string> = {}): void {
  let page: string | undefined;
  app.get("/graphql", (req, res, next) => {
    const wantsPage = req.accepts(["application/json", "text/html"]) === "text/html" && req.query.query === undefined;
    if (!wantsPage) return next();
    page ??= renderGraphiQL({
      title: "Aftersales graph",
      endpoint: "/graphql",
      defaultQuery: `${WELCOME}${Object.keys(headers).length ? "" : NO_TOKEN}${FIRST_QUERY}`,
      headers: JSON.stringify(headers, null, 2),
    });
    res.type("html").send(page);
  });
}
