#!/usr/bin/env node
// `storelite`: the console program, compiled (dist/cli.js; compiled first
// when its sources changed since the last build, which takes a second).
import { pathToFileURL } from "node:url";
import { distFile, ensureBuilt } from "../../scripts/build.mjs";

process.setSourceMapsEnabled(true); // stack traces name the TypeScript line
try {
  await ensureBuilt({ log: (m) => console.error(m) });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(3);
}
await import(pathToFileURL(distFile("cli")).href);
