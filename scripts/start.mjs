#!/usr/bin/env node
// @ts-check
// `npm start` and the service's command: builds whatever is stale (the compiled
// servers always, the web app unless STORELITE_WEB=off), then runs the
// supervisor (dist/supervisor.js) in this same process — plain Node, no tsx.
import { pathToFileURL } from "node:url";
import { distFile, ensureBuilt } from "./build.mjs";

process.setSourceMapsEnabled(true); // stack traces name the TypeScript line
const web = !/^(off|false|0|no)$/i.test(process.env.STORELITE_WEB ?? "");
try {
  await ensureBuilt({ web, log: (m) => console.log(m) });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
await import(pathToFileURL(distFile("supervisor")).href);
