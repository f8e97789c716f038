// `npm start` as a user meets it: a real process with an embedded PostgreSQL,
// killed with -9 and started again (data intact), stopped with Ctrl-C (clean).
import { execFileSync, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { alive, freePort } from "../src/db/embedded.ts";
import { signInHeaders } from "../src/testing/fixtures.ts";
import { API_ENTRY, apiDir, childPid, startStoreLite, startSupervised, type StoreLiteProcess } from "../src/testing/process.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "storelite-start-"));
fs.chmodSync(root, 0o755);
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGINT");
  await new Promise((r) => setTimeout(r, 1500));
  fs.rmSync(root, { recursive: true, force: true });
});

function start(env: Record<string, string>, asUser?: string) {
  const run = startStoreLite(asUser ? { ...env, HOME: root } : env, asUser);
  children.push(run.child);
  return run;
}

/** Signed-in request headers per API port (from the setup link, or STORELITE_OWNER_* then sign-in). */
const sessions = new Map<number, Record<string, string>>();
const OWNER = { STORELITE_OWNER_USERNAME: "owner", STORELITE_OWNER_PASSWORD: "start-test-password" };

function supervised(env: Record<string, string>) {
  const run = startSupervised({ ...OWNER, ...env }); // scripted owner: the tests sign in as them
  children.push(run.child);
  return run;
}

/** Resolves once the process's output contains `text` (after what it printed so far, from `from`). */
async function waitForOutput(run: StoreLiteProcess, text: string, from = 0, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (!run.output().slice(from).includes(text)) {
    if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`did not print ${JSON.stringify(text)}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const postmasterPid = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
const shutDownCleanly = (dataDir: string) =>
  !fs.existsSync(path.join(dataDir, "postmaster.pid")) && /database system is shut down\s*$/.test(fs.readFileSync(path.join(dataDir, "server.log"), "utf8"));

async function gql(port: number, query: string) {
  let auth = sessions.get(port);
  if (!auth) sessions.set(port, (auth = await signInHeaders(`http://127.0.0.1:${port}`, OWNER.STORELITE_OWNER_USERNAME, OWNER.STORELITE_OWNER_PASSWORD)));
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify({ query }) });
  return ((await res.json()) as { data: any }).data;
}

/** Opens the printed first-run link the way its form does; returns the answer's status and cookie. */
async function useSetupLink(link: string, password: string) {
  const url = new URL(link);
  const body = new URLSearchParams({ token: url.searchParams.get("token") ?? "", displayName: "Shop Owner", username: OWNER.STORELITE_OWNER_USERNAME, password });
  const res = await fetch(`${url.origin}/setup`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  return { status: res.status, cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ") };
}

describe("npm start", () => {
  it("starts on an embedded PostgreSQL, survives kill -9 with data intact, and stops cleanly on Ctrl-C", async () => {
    const dataDir = path.join(root, "data", "postgres");
    const env = { STORELITE_DATA_DIR: dataDir, STORELITE_PG_PORT: String(await freePort()), PORT: String(await freePort()) };
    const port = Number(env.PORT);

    const first = start(env);
    const banner = await first.ready;
    expect(banner).toContain("Loaded the demo catalogue");
    expect(banner).toContain(`http://127.0.0.1:${port}/graphql`);
    // First run: no staff yet, so a one-time setup link is printed; it works once.
    const link = /(http:\/\/\S+\/setup\?token=\S+)/.exec(banner)?.[1];
    expect(link, banner).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ items { nodes { id } } }"}' }).then((r) => r.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const setup = await useSetupLink(link!, OWNER.STORELITE_OWNER_PASSWORD);
    expect(setup.status).toBe(201);
    sessions.set(port, { cookie: setup.cookie, "x-storelite-csrf": "1" });
    expect((await useSetupLink(link!, "another-password")).status).toBe(403);
    const demo = await gql(port, `{ items(first: 200) { nodes { id name } } }`);
    expect(demo.items.nodes.length).toBeGreaterThanOrEqual(24);
    const sugar = demo.items.nodes.find((i: { name: string }) => i.name === "Sugar");
    const sale = await gql(port, `mutation { createBill(input: { lines: [{ itemId: ${sugar.id}, quantity: "1.5" }] }) { ... on CreateBillSuccess { bill { id } } } }`);
    const billId = sale.createBill.bill.id;

    // kill -9 leaves the postmaster running...
    const postmaster = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(alive(postmaster)).toBe(true);

    // ...and the next start recovers it, data intact, no second demo load.
    const second = start(env);
    const banner2 = await second.ready;
    expect(banner2).toContain("left running");
    expect(banner2).not.toContain("/setup?token=");
    expect(banner2).not.toContain("Loaded the demo catalogue");
    const after = await gql(port, `{ bill(id: ${billId}) { id lines { quantity } } items(first: 200) { nodes { id } } }`);
    expect(after.bill).toEqual({ id: billId, lines: [{ quantity: "1.500" }] });
    expect(after.items.nodes).toHaveLength(demo.items.nodes.length);

    const postmaster2 = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain("Stopped.");
    expect(alive(postmaster2)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
  });

  it("lets several StoreLite processes share one embedded PostgreSQL; the last one out stops it", async () => {
    const dataDir = path.join(root, "shared", "postgres");
    const pgPort = String(await freePort());
    const a = start({ STORELITE_DATA_DIR: dataDir, STORELITE_PG_PORT: pgPort, PORT: String(await freePort()), ...OWNER });
    await a.ready;
    const bPort = await freePort();
    const b = start({ STORELITE_DATA_DIR: dataDir, STORELITE_PG_PORT: pgPort, PORT: String(bPort), ...OWNER });
    expect(await b.ready).toContain("Sharing the PostgreSQL");
    const postmaster = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);

    a.child.kill("SIGINT"); // the one that started it leaves first
    expect(await a.exited).toBe(0);
    expect(a.output()).toContain("Leaving PostgreSQL running");
    expect((await gql(bPort, `{ categories { name } }`)).categories.length).toBeGreaterThan(0);

    b.child.kill("SIGINT");
    expect(await b.exited).toBe(0);
    expect(alive(postmaster)).toBe(false);
  });

  // As root, with a checkout an ordinary user can read (not, say, one under /root).
  const nobodyCanRead = process.getuid?.() === 0 && spawnSync("su", ["nobody", "-s", "/bin/sh", "-c", `test -r ${API_ENTRY}`]).status === 0;
  it.runIf(nobodyCanRead)("works for an ordinary user too (not only root)", async () => {
    const dataDir = path.join(root, "user-data");
    fs.mkdirSync(dataDir);
    fs.chownSync(dataDir, 65534, 65534); // nobody
    const env = { STORELITE_DATA_DIR: path.join(dataDir, "pg"), STORELITE_PG_PORT: String(await freePort()), PORT: String(await freePort()), ...OWNER };
    const run = start(env, "nobody");
    await run.ready;
    const data = await gql(Number(env.PORT), `{ categories { name } }`);
    expect(data.categories.map((c: { name: string }) => c.name)).toContain("Grocery");
    expect(fs.statSync(path.join(dataDir, "pg")).uid).toBe(65534);
    // Ctrl-C reaches StoreLite itself (su's child), not su.
    const node = Number(execFileSync("pgrep", ["-P", String(run.child.pid)], { encoding: "utf8" }).trim().split("\n")[0]);
    process.kill(node, "SIGINT");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("Stopped.");
  });

  it("refuses bad settings with a message naming each one", async () => {
    const bad = start({ PORT: "not-a-port", STORELITE_DB_POOL_SIZE: "0", DATABASE_URL: "mysql://x" });
    const message = await bad.ready.then(String, (e: Error) => e.message);
    expect(message).toContain("StoreLite settings are invalid");
    expect(message).toContain("PORT: must be a port number");
    expect(message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    expect(message).toContain("STORELITE_DB_POOL_SIZE: must be 1-200");
    expect(await bad.exited).toBe(1);
  });
});

describe("npm start's supervisor (node scripts/start.mjs, as the service runs it)", () => {
  it("restarts a killed API and a killed web app, and SIGTERM stops everything with PostgreSQL shut down cleanly", { timeout: 600_000 }, async () => {
    const dataDir = path.join(root, "supervised", "postgres");
    const env = { STORELITE_DATA_DIR: dataDir, STORELITE_PG_PORT: String(await freePort()), PORT: String(await freePort()), WEB_PORT: String(await freePort()), STORELITE_WEB: "on" };
    const port = Number(env.PORT);
    const web = `http://127.0.0.1:${env.WEB_PORT}`;
    const run = supervised(env); // builds the web app first if it is stale
    await run.ready;
    const supervisor = run.child.pid!;
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).toMatchObject({ status: "ok", checks: { database: { status: "ok" }, web: { status: "ok" } } });

    // The API dies (kill -9): the supervisor starts it again; the data is there.
    const sale = await gql(port, `mutation { createBill(input: { lines: [{ itemId: 1, quantity: "1" }] }) { ... on CreateBillSuccess { bill { id } } } }`);
    let mark = run.output().length;
    process.kill(childPid(supervisor, /dist\/api\.js/), "SIGKILL");
    await waitForOutput(run, "The API is running again", mark);
    expect(run.output().slice(mark)).toMatch(/The API stopped \(killed by SIGKILL.*\); restarting it in 0\.5 s \(restart 1 of 5\)/);
    expect((await gql(port, `{ bill(id: ${sale.createBill.bill.id}) { id } }`)).bill).toEqual({ id: sale.createBill.bill.id });

    // The web app dies: /health says so until the supervisor has it back.
    mark = run.output().length;
    process.kill(childPid(supervisor, /standalone\.mjs|next-server/), "SIGKILL");
    await waitForOutput(run, "The web app is running again", mark);
    expect(run.output().slice(mark)).toContain("The web app stopped (killed by SIGKILL");
    const pos = await fetch(`${web}/pos`);
    expect(pos.status).toBe(200);
    // ...with the browser's files beside it (the standalone server serves them from its own folder).
    const script = /\/_next\/static\/[^"]+\.js/.exec(await pos.text())?.[0];
    expect((await fetch(`${web}${script}`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

    // SIGTERM (what systemd sends): web app, API, PostgreSQL — all gone, the database shut down cleanly.
    const postmaster = postmasterPid(dataDir);
    const api = childPid(supervisor, /dist\/api\.js/);
    process.kill(supervisor, "SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("StoreLite stopped.");
    expect([alive(api), alive(postmaster)]).toEqual([false, false]);
    expect(shutDownCleanly(dataDir)).toBe(true);
    await expect(fetch(web)).rejects.toThrow();
  });

  it("stops restarting a child that keeps dying, says why, and leaves nothing running", { timeout: 300_000 }, async () => {
    const dataDir = path.join(root, "crashloop", "postgres");
    const env = { STORELITE_DATA_DIR: dataDir, STORELITE_PG_PORT: String(await freePort()), PORT: String(await freePort()) };
    const run = supervised(env);
    await run.ready;
    // A setting PostgreSQL refuses, read at its next start: kill the API, and
    // each restart stops the PostgreSQL it left running, then cannot start it.
    fs.appendFileSync(path.join(dataDir, "postgresql.auto.conf"), "\nstorelite_no_such_setting = 1\n");
    const postmaster = postmasterPid(dataDir);
    process.kill(childPid(run.child.pid!, /dist\/api\.js/), "SIGKILL");
    expect(await run.exited).toBe(1);
    const out = run.output();
    for (const n of [1, 2, 3, 4, 5]) expect(out).toContain(`(restart ${n} of 5)`);
    expect(out).toMatch(/The API stopped again \(exit code 1: .*\) after 5 restarts in a row; not restarting it any more\./);
    expect(out).toContain('unrecognized configuration parameter "storelite_no_such_setting"');
    expect(out).toContain("StoreLite stopped (see above why).");
    // The PostgreSQL left by the killed API was shut down cleanly, and nothing runs now.
    expect(alive(postmaster)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, "server.log"), "utf8")).toContain("database system is shut down");
  });

  it("refuses bad settings before starting anything", async () => {
    const run = supervised({ PORT: "not-a-port", STORELITE_PG_SETTINGS: "shared_buffers=1GB;DROP" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("PORT: must be a port number");
    expect(run.output()).toContain(`STORELITE_PG_SETTINGS: "shared_buffers=1GB;DROP" is not name=value`);
    expect(run.output()).not.toContain("restart");
  });
});
