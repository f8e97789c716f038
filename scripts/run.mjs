#!/usr/bin/env node
// @ts-check
// `node scripts/run.mjs <entry> [args...]`: runs one compiled entry (dist/<entry>.js:
// api, cli, mcp-stdio, mcp-http), compiling first when its sources changed. For
// `npm run mcp`, `npm run cli` and the `storelite` command. Build messages go to
// stderr: stdout may be a protocol (the stdio MCP server) or a script's output.
import { pathToFileURL } from "node:url";
import { ENTRIES, distFile, ensureBuilt } from "./build.mjs";

process.setSourceMapsEnabled(true); // stack traces name the TypeScript line
const [entry, ...args] = process.argv.slice(2);
if (!entry || !(entry in ENTRIES)) {
  console.error(`usage: node scripts/run.mjs <${Object.keys(ENTRIES).join("|")}> [args...]`);
  process.exit(2);
}
try {
  await ensureBuilt({ log: (m) => console.error(m) });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(3);
}
const file = distFile(/** @type {keyof typeof ENTRIES} */ (entry));
process.argv = [process.argv[0] ?? process.execPath, file, ...args]; // as if started as `node dist/<entry>.js args`
await import(pathToFileURL(file).href);
