// The alert worker: graphile-worker on the shop's own PostgreSQL. Every API
// process may run one; a job is taken by one worker at a time, a delivery row
// locked FOR UPDATE and marked sent in one transaction, so an alert is sent
// once. Failed sends are retried with graphile-worker's exponential backoff
// (about 3 s, 7 s, 20 s, ... up to 12 attempts), and queued jobs survive restarts.
import { Logger, run, type JobHelpers, type Runner, type TaskList } from "graphile-worker";
import type pg from "pg";
import { inTransaction, type Database } from "../db/database.ts";
import { systemActor } from "../domain/access.ts";
import { Decimal, formatQuantity } from "../domain/money.ts";
import { shopTimeZone } from "../domain/shop.ts";
import { sendAlert, type AlertMessage, type ChannelTarget, type SenderSettings } from "./send.ts";

export interface AlertWorkerOptions {
  db: Database;
  settings: SenderSettings;
  concurrency?: number;
  /** How often to look for due jobs when no notification arrives (ms). */
  pollInterval?: number;
  log?: (message: string) => void;
}

export interface AlertWorker {
  stop(): Promise<void>;
}

interface AlertRow {
  id: number;
  item_name: string;
  unit: string;
  stock_qty: string;
  reorder_point: string;
  raised_at: Date;
  item_id: number;
}

const describe = (a: AlertRow) => `${a.item_name} is at ${formatQuantity(new Decimal(a.stock_qty))} ${a.unit} (reorder at ${formatQuantity(new Decimal(a.reorder_point))})`;

function alertMessage(a: AlertRow, timeZone: string): AlertMessage {
  const when = a.raised_at.toLocaleString("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
  return {
    subject: `Low stock: ${describe(a)}`,
    text: `${describe(a)} since ${when}. See the suggested purchase list in StoreLite (storelite items reorder).`,
    data: {
      type: "stock_alert",
      alert: { id: a.id, itemId: a.item_id, itemName: a.item_name, unit: a.unit, stockQty: a.stock_qty, reorderPoint: a.reorder_point, raisedAt: a.raised_at.toISOString() },
    },
  };
}

function digestMessage(alerts: AlertRow[], day: string): AlertMessage {
  return {
    subject: `Low stock digest ${day}: ${alerts.length} item${alerts.length === 1 ? "" : "s"}`,
    text: alerts.map((a) => `- ${describe(a)}`).join("\n"),
    data: { type: "stock_alert_digest", date: day, alerts: alerts.map((a) => ({ id: a.id, itemId: a.item_id, itemName: a.item_name, unit: a.unit, stockQty: a.stock_qty, reorderPoint: a.reorder_point })) },
  };
}

const ALERT_COLUMNS = "a.id, a.item_id, a.item_name, a.unit, a.stock_qty, a.reorder_point, a.raised_at";

/**
 * Sends one delivery unless it was sent already; records the attempt either way.
 * Returns the error to rethrow (after the attempt is committed) so the job is retried.
 */
async function deliver(
  db: Database,
  deliveryId: number,
  settings: SenderSettings,
  message: (client: pg.PoolClient, row: { alert_id: number | null }) => Promise<AlertMessage>,
  lastAttempt: boolean,
): Promise<Error | undefined> {
  return inTransaction(db.pool, async (client) => {
    const { rows } = await client.query<ChannelTarget & { status: string; alert_id: number | null }>(
      `SELECT d.status, d.alert_id, c.kind, c.target, c.format, c.secret FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id
       WHERE d.id = $1 FOR UPDATE OF d`,
      [deliveryId],
    );
    const row = rows[0];
    if (!row || row.status === "sent") return undefined; // channel deleted, or another worker sent it
    try {
      await sendAlert(row, await message(client, row), deliveryId, settings);
      await client.query("UPDATE alert_deliveries SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1", [deliveryId]);
      return undefined;
    } catch (err) {
      const text = (err as Error).message?.slice(0, 500) || String(err);
      await client.query("UPDATE alert_deliveries SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1", [deliveryId, text, lastAttempt ? "failed" : "pending"]);
      return err as Error;
    }
  });
}

const isLastAttempt = (helpers: JobHelpers) => helpers.job.attempts >= helpers.job.max_attempts;

export function alertTasks(db: Database, settings: SenderSettings): TaskList {
  const ctx = { db, actor: systemActor("alerts") };
  return {
    async deliver_alert(payload, helpers) {
      const { deliveryId } = payload as { deliveryId: number };
      const timeZone = await shopTimeZone(ctx);
      const error = await deliver(
        db,
        deliveryId,
        settings,
        async (client, row) => alertMessage((await client.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM stock_alerts a WHERE a.id = $1`, [row.alert_id])).rows[0]!, timeZone),
        isLastAttempt(helpers),
      );
      if (error) throw error;
    },

    // A digest channel's daily run: the alerts raised since its last digest, in one message.
    async alert_digest(payload, helpers) {
      const { channelId } = payload as { channelId: number };
      const timeZone = await shopTimeZone(ctx);
      const { rows: channels } = await db.pool.query<{ since: Date; day: string; cutoff: Date }>(
        `SELECT coalesce(last_digest_at, created_at) AS since, to_char(now() AT TIME ZONE $2, 'YYYY-MM-DD') AS day, now() AS cutoff
         FROM alert_channels WHERE id = $1 AND enabled AND mode = 'digest'`,
        [channelId, timeZone],
      );
      const channel = channels[0];
      if (!channel) return;
      const { rows: alerts } = await db.pool.query<AlertRow>(
        `SELECT ${ALERT_COLUMNS} FROM stock_alerts a WHERE a.raised_at > $1 AND a.raised_at <= $2 ORDER BY a.id`,
        [channel.since, channel.cutoff],
      );
      if (alerts.length) {
        const { rows } = await db.pool.query<{ id: number }>(
          `INSERT INTO alert_deliveries (channel_id, digest_date) VALUES ($1, $2)
           ON CONFLICT (channel_id, digest_date) DO UPDATE SET channel_id = EXCLUDED.channel_id RETURNING id`,
          [channelId, channel.day],
        );
        const error = await deliver(db, rows[0]!.id, settings, async () => digestMessage(alerts, channel.day), isLastAttempt(helpers));
        if (error) throw error;
      }
      await db.pool.query("UPDATE alert_channels SET last_digest_at = $2 WHERE id = $1", [channelId, channel.cutoff]);
      await db.pool.query("SELECT schedule_alert_digest($1, $2)", [channelId, timeZone]);
    },
  };
}

/** Starts the worker (installing graphile-worker's schema if needed) and queues what a stop left pending. */
export async function startAlertWorker(opts: AlertWorkerOptions): Promise<AlertWorker> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const logger = new Logger(() => (level, message) => {
    if (level === "error" || level === "warning") log(`alerts: ${message}`);
  });
  const runner: Runner = await run({
    pgPool: opts.db.pool,
    taskList: alertTasks(opts.db, opts.settings),
    concurrency: opts.concurrency ?? 2,
    pollInterval: opts.pollInterval ?? 2000,
    noHandleSignals: true,
    logger,
  });
  // Deliveries written while no queue was installed (or whose job was lost) get a job now;
  // job keys keep this from doubling a job that is already queued.
  const timeZone = await shopTimeZone({ db: opts.db, actor: systemActor("alerts") });
  await opts.db.pool.query(
    `SELECT graphile_worker.add_job('deliver_alert', json_build_object('deliveryId', id), job_key := 'delivery:' || id, job_key_mode := 'preserve_run_at', max_attempts := 12)
     FROM alert_deliveries WHERE status = 'pending' AND alert_id IS NOT NULL`,
  );
  await opts.db.pool.query("SELECT schedule_alert_digest(id, $1) FROM alert_channels WHERE mode = 'digest' AND enabled", [timeZone]);
  return {
    async stop() {
      await runner.stop();
    },
  };
}
