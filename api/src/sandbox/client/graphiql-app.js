// Browser entry of the GraphQL sandbox: GraphiQL 5 (React + Monaco) against
// this server's /graphql. Bundled by ../bundle.ts with esbuild; plain JS (no
// JSX) so it needs no compiler setup. Settings come from the page's JSON.
import "./monaco-workers.js"; // first: Monaco reads MonacoEnvironment when it loads
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { Kind, parse } from "graphql";
import "graphiql/style.css";

const config = JSON.parse(document.getElementById("sandbox-config").textContent);

// POST with JSON (never GET), which also satisfies Apollo's CSRF prevention.
const post = createGraphiQLFetcher({ url: new URL(config.endpoint, location.href).href });

// Right after a tab switch GraphiQL can still send the previous tab's operation
// name with the new tab's document ("Unknown operation named ..."). A name the
// document does not define is replaced by its only operation's, or dropped.
function fetcher(params, options) {
  if (!params.operationName) return post(params, options);
  let names;
  try {
    names = parse(params.query)
      .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
      .map((d) => d.name?.value);
  } catch {
    return post(params, options); // a syntax error: let the server say so
  }
  if (names.includes(params.operationName)) return post(params, options);
  return post({ ...params, operationName: names.length === 1 ? names[0] : undefined }, options);
}

// GraphiQL 5 opens the first default tab without its variables; hand them over
// on a first visit only (later visits restore the user's own tabs).
const firstVisit = !localStorage.getItem("graphiql:tabState");

createRoot(document.getElementById("graphiql")).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: config.tabs,
    ...(firstVisit ? { initialVariables: config.tabs[0]?.variables } : {}),
    defaultEditorToolsVisibility: "variables",
    shouldPersistHeaders: false,
  }),
);
