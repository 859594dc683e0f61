import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { Express } from "express";

const FIRST_QUERY = `# Welcome to the aftersales graph. Press the run button (or Ctrl-Enter).
query FirstLook {
  dealers(first: 5) {
    edges {
      node {
        name
        kind
        address { city country }
        calendar { timeZone }
      }
    }
  }
}
`;

let page: string | undefined;

/**
 * GraphiQL at `GET /graphql` for browsers. The page carries its whole bundle
 * inline (no CDN), so it works offline and behind strict firewalls.
 */
export function serveGraphiQL(app: Express): void {
  app.get("/graphql", (req, res, next) => {
    const wantsPage = req.accepts(["application/json", "text/html"]) === "text/html" && req.query.query === undefined;
    if (!wantsPage) return next();
    page ??= renderGraphiQL({ title: "Aftersales graph", endpoint: "/graphql", defaultQuery: FIRST_QUERY });
    res.type("html").send(page);
  });
}
