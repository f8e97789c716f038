// GET /health on the real API server: JSON for machines, text for a person,
// 503 when a check fails — the database, the web app, and checks other parts register.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../src/db/embedded.ts";
import { createApp, type App } from "../src/http/server.ts";
import { useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase();
let app: App;
let base = "";
let webPort = 0;

beforeAll(async () => {
  webPort = await freePort(); // nothing listens there: the web app is "down"
  app = await createApp({ db: t.db, env: { introspection: false, STORELITE_MAX_BODY_BYTES: 1_000_000 }, log: () => {} });
  base = await app.listen(0, "127.0.0.1");
});
afterAll(async () => {
  await app?.close();
});

describe("/health", () => {
  it("reports the database as JSON with 200 when all is well", async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string; ms: number }> };
    expect(body.status).toBe("ok");
    expect(body.checks.database?.status).toBe("ok");
    expect(Object.keys(body.checks)).toEqual(["database"]);
  });

  it("answers a browser with a short text report", async () => {
    const res = await fetch(`${base}/health`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/^StoreLite is well\.\n\n {2}database {2}ok {6}\s+\d+ ms\n/);
  });

  it("is 503 and names what fails: a registered check that throws, the web app that does not answer", async () => {
    app.health.register("backups", async () => {
      throw new Error("last backup 3 days ago");
    });
    const { webAppCheck } = await import("../src/http/health.ts");
    app.health.register("web", webAppCheck(`http://127.0.0.1:${webPort}`));
    const res = await fetch(`${base}/health?format=json`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string; detail?: string }> };
    expect(body.status).toBe("failing");
    expect(body.checks.database?.status).toBe("ok");
    expect(body.checks.backups).toMatchObject({ status: "failing", detail: "last backup 3 days ago" });
    expect(body.checks.web?.status).toBe("failing");
    expect(body.checks.web?.detail).toContain(`http://127.0.0.1:${webPort} does not answer`);
    const text = await (await fetch(`${base}/health?format=text`)).text();
    expect(text).toContain("StoreLite is NOT well: backups, web failing.");
    expect(text).toContain("last backup 3 days ago");
  });

  it("gives a check that hangs a time limit instead of hanging the endpoint", async () => {
    app.health.register("backups", () => new Promise(() => {}), { timeoutMs: 200 });
    const body = (await (await fetch(`${base}/health`)).json()) as { checks: Record<string, { status: string; detail?: string }> };
    expect(body.checks.backups).toMatchObject({ status: "failing", detail: "no answer within 200 ms" });
  });
});
