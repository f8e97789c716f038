// Per-file test fixtures: a fresh database, and optionally the real HTTP server on it.
// The server's helpers act as a signed-in owner unless a test asks for another
// role (`as("CASHIER")`) or for no credentials at all (`anonymous`).
import { afterAll, beforeAll, inject } from "vitest";
import { createApp, type App } from "../http/server.ts";
import { TOKEN_SCOPES, systemActor, type Actor, type Permission, type Role } from "../domain/access.ts";
import { createApiToken } from "../domain/tokens.ts";
import type { ServiceContext } from "../domain/context.ts";
import { createSession, staffActor } from "../domain/sessions.ts";
import { createStaff, type StaffInfo } from "../domain/staff.ts";
import type { AssistantOptions } from "../agent/index.ts";
import type { Database } from "../db/database.ts";
import { createTestDatabase, type TestDatabase } from "./postgres.ts";

/** A fresh database for this test file; `ctx()` is the service context on it (the machine's own, all permissions). */
export function useTestDatabase(poolSize = 10) {
  let tdb: TestDatabase | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase(inject("pgServerUrl"), poolSize);
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  return {
    ctx: (actor: Actor = systemActor("test")): ServiceContext => ({ db: tdb!.db, actor }),
    get db() {
      return tdb!.db;
    },
    get url() {
      return tdb!.url;
    },
  };
}

export type GraphQLResponse<T = any> = { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

/** One way of calling the test server: as a person (bearer session token), a token, or nobody. */
export interface Caller {
  /** The Authorization header this caller sends (none for anonymous). */
  headers: Record<string, string>;
  staff?: StaffInfo;
  /** The session or API token sent as bearer. */
  token?: string;
  actor: Actor;
  graphql<T = any>(query: string, variables?: Record<string, unknown>, operationName?: string): Promise<GraphQLResponse<T>>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export const TEST_PASSWORD = "test-password-1";
export const TEST_PIN = "2468";

export function caller(base: () => string, token: string | undefined, actor: Actor, staff?: StaffInfo): Caller {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const doFetch = (path: string, init: RequestInit = {}) => fetch(`${base()}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
  return {
    headers,
    staff,
    token,
    actor,
    fetch: doFetch,
    async graphql(query, variables, operationName) {
      const res = await doFetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables, operationName }) });
      return res.json() as never;
    },
  };
}

let counter = 0;
/** Creates a staff member of the role (password TEST_PASSWORD, PIN TEST_PIN) and a web session for them. */
export async function signedInStaff(db: Database, role: Role, name?: string): Promise<{ staff: StaffInfo; token: string; actor: Actor }> {
  counter += 1;
  const username = `${role.toLowerCase()}-${process.pid}-${counter}`;
  const staff = await createStaff({ db, actor: systemActor("test") }, { displayName: name ?? `${role[0]}${role.slice(1).toLowerCase()} ${counter}`, username, role, password: TEST_PASSWORD, pin: TEST_PIN });
  const { token } = await createSession(db, staff.id, "web");
  return { staff, token, actor: staffActor(staff) };
}

/** The API server on 127.0.0.1 (random port) over a fresh test database; its helpers act as a signed-in owner. */
export function useTestServer(poolSize = 20, opts: { assistant?: AssistantOptions } = {}) {
  const database = useTestDatabase(poolSize);
  let app: App | undefined;
  let base = "";
  let owner: Caller | undefined;
  const roles = new Map<Role, Promise<Caller>>();
  beforeAll(async () => {
    app = await createApp({ db: database.db, env: { introspection: true, STORELITE_MAX_BODY_BYTES: 1_000_000, STORELITE_IMPORT_MAX_BYTES: 2_000_000 }, log: () => {}, assistant: opts.assistant });
    base = await app.listen(0, "127.0.0.1");
    const o = await signedInStaff(database.db, "OWNER", "Test Owner");
    owner = caller(() => base, o.token, o.actor, o.staff);
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
    get app() {
      return app!;
    },
    /** The signed-in owner these helpers act as. */
    get owner() {
      return owner!;
    },
    /** Requests without any credentials. */
    get anonymous() {
      return caller(() => base, undefined, { kind: "anonymous" });
    },
    /** A (cached) signed-in staff member with this role. */
    as(role: Role): Promise<Caller> {
      if (role === "OWNER") return Promise.resolve(owner!);
      let found = roles.get(role);
      if (!found) {
        found = signedInStaff(database.db, role).then((s) => caller(() => base, s.token, s.actor, s.staff));
        roles.set(role, found);
      }
      return found;
    },
    /** POSTs a GraphQL operation as the owner; returns the parsed JSON body. */
    graphql<T = any>(query: string, variables?: Record<string, unknown>, operationName?: string): Promise<GraphQLResponse<T>> {
      return owner!.graphql<T>(query, variables, operationName);
    },
    /** fetch() on the server as the owner (Authorization header added). */
    fetch(path: string, init?: RequestInit): Promise<Response> {
      return owner!.fetch(path, init);
    },
  };
}

/** Signs in over REST on a running server; returns the headers a browser-like client then sends (cookie + CSRF header). */
export async function signInHeaders(base: string, username: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  return { cookie, "x-storelite-csrf": "1" };
}

/** A real API token (slt_…) of a new owner, with these scopes (default: all a token may have). */
export async function ownerApiToken(db: Database, scopes: readonly Permission[] = TOKEN_SCOPES): Promise<string> {
  const owner = await signedInStaff(db, "OWNER");
  return (await createApiToken({ db, actor: owner.actor }, { name: `test ${scopes.length === TOKEN_SCOPES.length ? "all" : scopes.join(",")}`, scopes: [...scopes] })).secret;
}
