// Browser entry of the GraphQL sandbox: GraphiQL 5 (React + Monaco) against
// this server's /graphql. Bundled by ../bundle.ts with esbuild; plain JS (no
// JSX) so it needs no compiler setup. Settings come from the page's JSON.
import "./monaco-workers.js"; // first: Monaco reads MonacoEnvironment when it loads
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import "graphiql/style.css";

const config = JSON.parse(document.getElementById("sandbox-config").textContent);

// POST with JSON (never GET), which also satisfies Apollo's CSRF prevention.
const fetcher = createGraphiQLFetcher({ url: new URL(config.endpoint, location.href).href });

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
