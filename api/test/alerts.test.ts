// Low-stock alerts delivered for real: a local SMTP server (smtp-server) and a
// local HTTP receiver get the messages that graphile-worker sends from the
// test database. Two workers on their own connection pools stand for two API
// processes; stopping them and starting a new one stands for a restart.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { makeWorkerUtils } from "graphile-worker";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../src/alerts/send.ts";
import { startAlertWorker, type AlertWorker } from "../src/alerts/worker.ts";
import { connectDatabase, type Database } from "../src/db/database.ts";
import { createAlertChannel, listAlertDeliveries } from "../src/domain/alerts.ts";
import { createBill } from "../src/domain/bills.ts";
import { createItem } from "../src/domain/items.ts";
import { useTestDatabase } from "../src/testing/fixtures.ts";

const t = useTestDatabase(5);
const SECRET = "test-webhook-secret-0123456789";

interface Mail {
  to: string;
  raw: string;
}
const mails: Mail[] = [];
const hooks: { headers: http.IncomingHttpHeaders; body: string }[] = [];
/** How many coming webhook calls the receiver refuses with 503. */
let refuseNext = 0;
let refused = 0;

let smtp: SMTPServer;
let receiver: http.Server;
let smtpUrl = "";
let hookUrl = "";
const pools: Database[] = [];
let workers: AlertWorker[] = [];

async function startWorkers(n: number) {
  for (let i = 0; i < n; i++) {
    const db = connectDatabase(t.url, 4); // each "process" has its own pool
    pools.push(db);
    workers.push(await startAlertWorker({ db, settings: { smtpUrl, from: "StoreLite <alerts@shop.test>" }, pollInterval: 300, log: () => {} }));
  }
}
async function stopWorkers() {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString()));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (refuseNext > 0) {
        refuseNext -= 1;
        refused += 1;
        res.writeHead(503).end("down");
        return;
      }
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/storelite`;

  await createAlertChannel(t.ctx(), { kind: "EMAIL", target: "owner@shop.test" });
  await createAlertChannel(t.ctx(), { kind: "WEBHOOK", target: hookUrl, secret: SECRET });
});

afterAll(async () => {
  await stopWorkers();
  for (const db of pools) await db.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 2500));
const hooksFor = (name: string) => hooks.filter((h) => JSON.parse(h.body).alert?.itemName === name);
const mailsFor = (name: string) => mails.filter((m) => m.raw.includes(name));

describe("alert delivery", () => {
  it("refuses bad channels, naming the field", async () => {
    await expect(createAlertChannel(t.ctx(), { kind: "EMAIL", target: "not-an-address" })).rejects.toMatchObject({ fieldErrors: [expect.objectContaining({ path: ["target"] })] });
    await expect(createAlertChannel(t.ctx(), { kind: "WEBHOOK", target: "ftp://x", secret: "short" })).rejects.toMatchObject({
      fieldErrors: [expect.objectContaining({ path: ["target"] }), expect.objectContaining({ path: ["secret"] })],
    });
    await expect(createAlertChannel(t.ctx(), { kind: "EMAIL", target: "a@b.co", mode: "DIGEST", digestTime: "25:00" })).rejects.toMatchObject({
      fieldErrors: [expect.objectContaining({ path: ["digestTime"] })],
    });
  });

  it("a sale crossing the reorder point sends exactly one email and one signed webhook, with two workers running", async () => {
    await startWorkers(2);
    const sugar = await createItem(t.ctx(), { name: "Delivery Sugar", unit: "kg", unitPrice: "160", stockQty: "8", reorderPoint: "5" });
    await createBill(t.ctx(), { lines: [{ itemId: sugar.id, quantity: 2 }] }); // 6: above
    await createBill(t.ctx(), { lines: [{ itemId: sugar.id, quantity: "1.5" }] }); // 4.5: crosses
    await createBill(t.ctx(), { lines: [{ itemId: sugar.id, quantity: 1 }] }); // still low: no second alert
    await until("the email and the webhook", () => mailsFor("Delivery Sugar").length >= 1 && hooksFor("Delivery Sugar").length >= 1);
    await settle();
    expect(mailsFor("Delivery Sugar")).toHaveLength(1);
    expect(hooksFor("Delivery Sugar")).toHaveLength(1);

    const mail = mailsFor("Delivery Sugar")[0]!;
    expect(mail.to).toBe("owner@shop.test");
    expect(mail.raw).toMatch(/Subject: Low stock: Delivery Sugar is at 4\.500 kg \(reorder at 5\.000\)/);
    const hook = hooksFor("Delivery Sugar")[0]!;
    expect(hook.headers["x-storelite-signature"]).toBe(sign(SECRET, hook.body));
    expect(JSON.parse(hook.body)).toMatchObject({ type: "stock_alert", alert: { itemName: "Delivery Sugar", stockQty: "4.500", reorderPoint: "5.000" } });
    const deliveries = (await listAlertDeliveries(t.ctx())).filter((d) => d.status === "SENT");
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
  });

  it("the receiver down: the sale goes through at once, the webhook is retried later and arrives once", async () => {
    refuseNext = 1;
    const oil = await createItem(t.ctx(), { name: "Delivery Oil", unit: "liter", unitPrice: "500", stockQty: "6", reorderPoint: "5" });
    const { bill } = await createBill(t.ctx(), { lines: [{ itemId: oil.id, quantity: 2 }] });
    // The sale is committed before any delivery is tried: the webhook has not arrived yet.
    expect(hooksFor("Delivery Oil")).toHaveLength(0);
    expect((await t.db.pool.query("SELECT count(*)::int AS n FROM bills WHERE id = $1", [bill.id])).rows[0].n).toBe(1);
    await until("the refused first attempt", () => refused >= 1);
    const problems = await listAlertDeliveries(t.ctx(), { onlyProblems: true });
    expect(problems[0]).toMatchObject({ channelKind: "WEBHOOK", status: "PENDING", attempts: 1, lastError: "webhook answered 503 Service Unavailable" });
    await until("the retried webhook", () => hooksFor("Delivery Oil").length >= 1);
    await settle();
    expect(hooksFor("Delivery Oil")).toHaveLength(1);
    expect(mailsFor("Delivery Oil")).toHaveLength(1);
  });

  it("a restart in the middle of the retries still delivers once", async () => {
    refuseNext = 1;
    const refusedBefore = refused;
    const tea = await createItem(t.ctx(), { name: "Delivery Tea", unitPrice: "300", stockQty: "6", reorderPoint: "5" });
    await createBill(t.ctx(), { lines: [{ itemId: tea.id, quantity: 3 }] });
    await until("the refused first attempt", () => refused > refusedBefore);
    await stopWorkers(); // every "process" stops while the retry is waiting in the queue
    await new Promise((r) => setTimeout(r, 3500)); // past the first backoff: nobody is there to retry
    expect(hooksFor("Delivery Tea")).toHaveLength(0);
    await startWorkers(1);
    await until("the webhook after the restart", () => hooksFor("Delivery Tea").length >= 1);
    await settle();
    expect(hooksFor("Delivery Tea")).toHaveLength(1);
    expect(mailsFor("Delivery Tea")).toHaveLength(1);
  });

  it("a daily digest channel gets the day's alerts in one message at its time, queued in the shop's time zone", async () => {
    const digest = await createAlertChannel(t.ctx(), { kind: "WEBHOOK", target: `${hookUrl}?digest`, format: "SLACK", mode: "DIGEST", digestTime: "18:30" });
    // Two alerts after the channel was added (it reports what was raised since then).
    for (const name of ["Digest Flour", "Digest Rice"]) {
      const item = await createItem(t.ctx(), { name, unit: "kg", unitPrice: "100", stockQty: "6", reorderPoint: "5" });
      await createBill(t.ctx(), { lines: [{ itemId: item.id, quantity: 3 }] });
    }
    const job = await t.db.pool.query("SELECT run_at FROM graphile_worker.jobs WHERE key = $1", [`digest:${digest.id}`]);
    expect(job.rows).toHaveLength(1);
    const local = await t.db.pool.query("SELECT to_char($1::timestamptz AT TIME ZONE $2, 'HH24:MI') AS hm", [job.rows[0].run_at, process.env.STORELITE_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone]);
    expect(local.rows[0].hm).toBe("18:30");
    // Run it now instead of waiting for 18:30.
    const utils = await makeWorkerUtils({ pgPool: t.db.pool });
    await utils.rescheduleJobs([String((await t.db.pool.query("SELECT id FROM graphile_worker.jobs WHERE key = $1", [`digest:${digest.id}`])).rows[0].id)], { runAt: new Date() });
    await utils.release();
    await until("the digest", () => hooks.some((h) => JSON.parse(h.body).text?.startsWith("Low stock digest")));
    const sent = hooks.filter((h) => JSON.parse(h.body).text?.startsWith("Low stock digest"));
    expect(sent).toHaveLength(1);
    const text: string = JSON.parse(sent[0]!.body).text;
    expect(text).toBe(`Low stock digest ${text.slice(17, 27)}: 2 items\n- Digest Flour is at 3.000 kg (reorder at 5.000)\n- Digest Rice is at 3.000 kg (reorder at 5.000)`);
    expect(text).not.toContain("Delivery Sugar");
    // The next one is queued for tomorrow's 18:30 (the worker requeues it after the webhook answered, so wait for that).
    const nextRun = async () => (await t.db.pool.query<{ run_at: Date }>("SELECT run_at FROM graphile_worker.jobs WHERE key = $1", [`digest:${digest.id}`])).rows[0]?.run_at;
    let queued: Date | undefined;
    await until("the next digest queued", async () => ((queued = await nextRun()) ?? new Date(0)).getTime() > Date.now());
    const nextLocal = await t.db.pool.query("SELECT to_char($1::timestamptz AT TIME ZONE $2, 'HH24:MI') AS hm", [queued, process.env.STORELITE_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone]);
    expect(nextLocal.rows[0].hm).toBe("18:30");
  });

  it("alerts raised while no worker runs are sent when one starts", async () => {
    await stopWorkers();
    const salt = await createItem(t.ctx(), { name: "Delivery Salt", unitPrice: "50", stockQty: "6", reorderPoint: "5" });
    await createBill(t.ctx(), { lines: [{ itemId: salt.id, quantity: 2 }] });
    await new Promise((r) => setTimeout(r, 500));
    expect(hooksFor("Delivery Salt")).toHaveLength(0);
    await startWorkers(1);
    await until("the webhook", () => hooksFor("Delivery Salt").length >= 1 && mailsFor("Delivery Salt").length >= 1);
    await settle();
    expect(hooksFor("Delivery Salt")).toHaveLength(1);
  });
});
