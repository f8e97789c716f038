// vitest globalSetup: one embedded PostgreSQL for the whole run; test files
// read its URL with inject("pgServerUrl") and make their own databases. Also
// compiles dist/ when stale: tests that start StoreLite's programs as
// processes (npm start, the console, the MCP servers) run the compiled code users run.
import type { TestProject } from "vitest/node";
import { ensureBuilt } from "../../../scripts/build.mjs";
import { startTestServer } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await ensureBuilt({ log: (m) => console.log(m) });
  const server = await startTestServer();
  project.provide("pgServerUrl", server.url);
  return () => server.stop();
}
