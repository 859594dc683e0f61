import { createRequire } from "node:module";
import path from "node:path";
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

/** The files the page loads, from the installed packages: GraphiQL's browser build and the React it runs on. */
const ASSETS: Record<string, { from: string; file: string; type: string }> = {
  "react.js": { from: "react", file: "umd/react.production.min.js", type: "text/javascript" },
  "react-dom.js": { from: "react-dom", file: "umd/react-dom.production.min.js", type: "text/javascript" },
  "graphiql.js": { from: "graphiql", file: "graphiql.min.js", type: "text/javascript" },
  "graphiql.css": { from: "graphiql", file: "graphiql.min.css", type: "text/css" },
};

const require = createRequire(import.meta.url);

/** Where an asset lies: found through its package.json, since the packages' `exports` leave their browser builds out. */
const assetPath = (asset: { from: string; file: string }) => path.join(path.dirname(require.resolve(`${asset.from}/package.json`)), asset.file);

/** JSON inside a <script> element: `<` escaped so that no string in it can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function page(defaultQuery: string, headers: Record<string, string>): string {
  const settings = { defaultQuery, headers: JSON.stringify(headers, null, 2) };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Aftersales graph</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script>
const settings = ${scriptJson(settings)};
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url: new URL("/graphql", location.href).href }),
    defaultQuery: settings.defaultQuery,
    defaultHeaders: settings.headers,
    defaultEditorToolsVisibility: "headers",
    shouldPersistHeaders: false,
  }),
);
</script>
</body>
</html>
`;
}

/**
 * GraphiQL at `GET /graphql` for browsers, its scripts and styles under
 * `/graphiql/` from the installed `graphiql`, `react` and `react-dom`
 * packages (no CDN), so it works offline and behind strict firewalls.
 * `headers` fill its headers editor (the embedded graph puts a development
 * token there while it listens on loopback only); without them the first
 * query says how to get a token.
 */
export function serveGraphiQL(app: Express, headers: Record<string, string> = {}): void {
  const html = page(`${WELCOME}${Object.keys(headers).length ? "" : NO_TOKEN}${FIRST_QUERY}`, headers);
  app.get("/graphiql/:asset", (req, res, next) => {
    const asset = Object.hasOwn(ASSETS, req.params.asset) ? ASSETS[req.params.asset] : undefined;
    if (!asset) return next();
    res.type(asset.type).set("cache-control", "public, max-age=86400").sendFile(assetPath(asset));
  });
  app.get("/graphql", (req, res, next) => {
    const wantsPage = req.accepts(["application/json", "text/html"]) === "text/html" && req.query.query === undefined;
    if (!wantsPage) return next();
    res.type("html").send(html);
  });
}
