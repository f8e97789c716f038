// Where low-stock alerts go: the owner's channels (MANAGE_SETTINGS) and the
// record of every delivery, so failures are visible. Sending is the worker's
// job (src/alerts); raising alerts is the items trigger's (see thresholds.ts).
import { authorize } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { NotFoundError, Problems, ValidationError } from "./errors.ts";
import { shopTimeZone } from "./shop.ts";
import { parseId } from "./text.ts";

export const CHANNEL_KINDS = ["EMAIL", "WEBHOOK"] as const;
export const CHANNEL_FORMATS = ["JSON", "SLACK"] as const;
export const CHANNEL_MODES = ["EACH", "DIGEST"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type ChannelFormat = (typeof CHANNEL_FORMATS)[number];
export type ChannelMode = (typeof CHANNEL_MODES)[number];

export interface AlertChannel {
  id: number;
  kind: ChannelKind;
  /** An email address or an http(s) URL. */
  target: string;
  format: ChannelFormat;
  /** Webhooks: whether a signing secret is set (the secret itself is never read back). */
  hasSecret: boolean;
  mode: ChannelMode;
  /** DIGEST: HH:MM in the shop's time zone. */
  digestTime: string | null;
  enabled: boolean;
  createdAt: Date;
}

export interface AlertChannelInput {
  kind?: unknown;
  target?: unknown;
  format?: unknown;
  secret?: unknown;
  mode?: unknown;
  digestTime?: unknown;
  enabled?: unknown;
}

interface ChannelRow {
  id: number;
  kind: string;
  target: string;
  format: string;
  secret: string | null;
  mode: string;
  digest_time: string | null;
  enabled: boolean;
  created_at: Date;
}

const CHANNEL_COLUMNS = "id, kind, target, format, secret, mode, digest_time, enabled, created_at";

const toChannel = (r: ChannelRow): AlertChannel => ({
  id: r.id,
  kind: r.kind.toUpperCase() as ChannelKind,
  target: r.target,
  format: r.format.toUpperCase() as ChannelFormat,
  hasSecret: Boolean(r.secret),
  mode: r.mode.toUpperCase() as ChannelMode,
  digestTime: r.digest_time,
  enabled: r.enabled,
  createdAt: r.created_at,
});

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Checks a whole channel (the current values merged with the changes). */
function checkChannel(c: { kind: string; target: string; format: string; secret: string | null; mode: string; digest_time: string | null }, p: Problems) {
  if (!["email", "webhook"].includes(c.kind)) p.add(["kind"], `must be one of ${CHANNEL_KINDS.join(", ")}`, "INVALID_VALUE");
  if (!["json", "slack"].includes(c.format)) p.add(["format"], `must be one of ${CHANNEL_FORMATS.join(", ")}`, "INVALID_VALUE");
  if (!["each", "digest"].includes(c.mode)) p.add(["mode"], `must be one of ${CHANNEL_MODES.join(", ")}`, "INVALID_VALUE");
  if (c.kind === "email" && !EMAIL.test(c.target)) p.add(["target"], "must be an email address, e.g. owner@example.com", "INVALID_FORMAT");
  if (c.kind === "webhook") {
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(c.target).protocol);
    } catch {}
    if (!ok) p.add(["target"], "must be an http:// or https:// URL", "INVALID_FORMAT");
  }
  if (c.target.length > 500) p.add(["target"], "must be at most 500 characters", "TOO_LONG");
  if (c.secret !== null && (c.secret.length < 16 || c.secret.length > 200)) p.add(["secret"], "must be 16–200 characters", "INVALID_LENGTH");
  if (c.mode === "digest" && !(c.digest_time && TIME.test(c.digest_time))) p.add(["digestTime"], "is required for a daily digest: HH:MM in the shop's time zone, e.g. 18:30", "INVALID_FORMAT");
}

const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v === undefined ? undefined : "\u0000");
const textOrNull = (v: unknown) => (v === null ? null : typeof v === "string" ? v.trim() || null : undefined);

export async function listAlertChannels(ctx: ServiceContext): Promise<AlertChannel[]> {
  authorize(ctx, "MANAGE_SETTINGS");
  const { rows } = await ctx.db.pool.query<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM alert_channels ORDER BY id`);
  return rows.map(toChannel);
}

/** Adds a channel; new alerts are sent to it from now on. */
export async function createAlertChannel(ctx: ServiceContext, input: AlertChannelInput): Promise<AlertChannel> {
  authorize(ctx, "MANAGE_SETTINGS");
  return saveChannel(ctx, undefined, input);
}

export async function updateAlertChannel(ctx: ServiceContext, id: unknown, input: AlertChannelInput): Promise<AlertChannel> {
  authorize(ctx, "MANAGE_SETTINGS");
  return saveChannel(ctx, parseId(id, ["id"]), input);
}

export async function deleteAlertChannel(ctx: ServiceContext, id: unknown): Promise<AlertChannel> {
  authorize(ctx, "MANAGE_SETTINGS");
  const channelId = parseId(id, ["id"]);
  const { rows } = await ctx.db.pool.query<ChannelRow>(`DELETE FROM alert_channels WHERE id = $1 RETURNING ${CHANNEL_COLUMNS}`, [channelId]);
  if (!rows[0]) throw new NotFoundError("AlertChannel", channelId);
  return toChannel(rows[0]);
}

async function saveChannel(ctx: ServiceContext, id: number | undefined, input: AlertChannelInput): Promise<AlertChannel> {
  let current: ChannelRow | undefined;
  if (id !== undefined) {
    current = (await ctx.db.pool.query<ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM alert_channels WHERE id = $1`, [id])).rows[0];
    if (!current) throw new NotFoundError("AlertChannel", id);
  }
  const p = new Problems();
  const pick = <T,>(v: T | undefined, fallback: T) => (v === undefined ? fallback : v);
  if (!current && typeof input.target !== "string") p.add(["target"], "is required", "REQUIRED");
  if (!current && input.kind == null) p.add(["kind"], "is required", "REQUIRED");
  if (input.enabled !== undefined && typeof input.enabled !== "boolean") p.add(["enabled"], "must be true or false", "INVALID_TYPE");
  const mode = pick(lower(input.mode) as string | undefined, current?.mode ?? "each");
  const next = {
    kind: pick(lower(input.kind) as string | undefined, current?.kind ?? ""),
    target: pick(typeof input.target === "string" ? input.target.trim() : undefined, current?.target ?? ""),
    format: pick(lower(input.format) as string | undefined, current?.format ?? "json"),
    secret: pick(textOrNull(input.secret), current?.secret ?? null),
    mode,
    digest_time: mode === "each" ? null : pick(textOrNull(input.digestTime), current?.digest_time ?? null),
    enabled: pick(input.enabled as boolean | undefined, current?.enabled ?? true),
  };
  if (p.list.length === 0) checkChannel(next, p);
  p.throwIfAny();
  const values = [next.kind, next.target, next.format, next.secret, next.mode, next.digest_time, next.enabled];
  const { rows } = current
    ? await ctx.db.pool.query<ChannelRow>(
        `UPDATE alert_channels SET kind = $2, target = $3, format = $4, secret = $5, mode = $6, digest_time = $7, enabled = $8 WHERE id = $1 RETURNING ${CHANNEL_COLUMNS}`,
        [current.id, ...values],
      )
    : await ctx.db.pool.query<ChannelRow>(
        `INSERT INTO alert_channels (kind, target, format, secret, mode, digest_time, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CHANNEL_COLUMNS}`,
        values,
      );
  // A digest channel's next run is queued (or moved) at once.
  await ctx.db.pool.query("SELECT schedule_alert_digest($1, $2)", [rows[0]!.id, await shopTimeZone(ctx)]);
  return toChannel(rows[0]!);
}

export interface AlertDelivery {
  id: number;
  channelId: number;
  channelKind: ChannelKind;
  channelTarget: string;
  alertId: number | null;
  digestDate: string | null;
  /** PENDING (queued or retrying), SENT, FAILED (gave up after the last retry). */
  status: "PENDING" | "SENT" | "FAILED";
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

/** Deliveries newest first; onlyProblems: those failed or retrying after an error. */
export async function listAlertDeliveries(ctx: ServiceContext, input: { onlyProblems?: boolean | null; first?: number | null } = {}): Promise<AlertDelivery[]> {
  authorize(ctx, "MANAGE_SETTINGS");
  const first = input.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 200) throw ValidationError.one(["first"], "must be a whole number from 1 to 200", "INVALID_VALUE");
  const { rows } = await ctx.db.pool.query(
    `SELECT d.id, d.channel_id, c.kind, c.target, d.alert_id, d.digest_date, d.status, d.attempts, d.last_error, d.sent_at, d.created_at
     FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id
     WHERE NOT $1 OR d.status = 'failed' OR (d.status = 'pending' AND d.last_error IS NOT NULL)
     ORDER BY d.id DESC LIMIT $2`,
    [Boolean(input.onlyProblems), first],
  );
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    channelKind: r.kind.toUpperCase(),
    channelTarget: r.target,
    alertId: r.alert_id,
    digestDate: r.digest_date,
    status: r.status.toUpperCase(),
    attempts: r.attempts,
    lastError: r.last_error,
    sentAt: r.sent_at,
    createdAt: r.created_at,
  }));
}
