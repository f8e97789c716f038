// Per-file test fixtures: a fresh database, and optionally the real HTTP server on it.
import { afterAll, beforeAll, inject } from "vitest";
import { createApp, type App } from "../http/server.ts";
import { systemActor } from "../domain/access.ts";
import type { ServiceContext } from "../domain/context.ts";
import { createTestDatabase, type TestDatabase } from "./postgres.ts";

/** A fresh database for this test file; `ctx()` is the service context on it. */
export function useTestDatabase(poolSize = 10) {
  let tdb: TestDatabase | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase(inject("pgServerUrl"), poolSize);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  return {
    ctx: (): ServiceContext => ({ db: tdb!.db, actor: systemActor("test") }),
    get db() {
      return tdb!.db;
    },
    get url() {
      return tdb!.url;
    },
  };
}

/** The API server on 127.0.0.1 (random port) over a fresh test database. */
export function useTestServer(poolSize = 20) {
  const database = useTestDatabase(poolSize);
  let app: App | undefined;
  let base = "";
  beforeAll(async () => {
    app = await createApp({ db: database.db, env: { introspection: true, STORELITE_MAX_BODY_BYTES: 1_000_000 }, log: () => {} });
    base = await app.listen(0, "127.0.0.1");
  });
  afterAll(async () => {
    await app?.close();
  });
  return {
    ctx: database.ctx,
    get db() {
      return database.db;
    },
    get url() {
      return database.url;
    },
    get base() {
      return base;
    },
    /** POSTs a GraphQL operation; returns the parsed JSON body. */
    async graphql<T = any>(
      query: string,
      variables?: Record<string, unknown>,
      operationName?: string,
    ): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
      const res = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables, operationName }),
      });
      return res.json() as never;
    },
  };
}
