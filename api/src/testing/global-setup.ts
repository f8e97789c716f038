// vitest globalSetup: one embedded PostgreSQL for the whole run; test files
// read its URL with inject("pgServerUrl") and make their own databases.
import type { TestProject } from "vitest/node";
import { startTestServer } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  project.provide("pgServerUrl", server.url);
  return () => server.stop();
}
