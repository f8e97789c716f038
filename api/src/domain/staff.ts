// Staff accounts: who works in the shop, their role, password and optional PIN.
// Checking a password or PIN (with lockout and per-address rate limits) and the
// first-run owner setup live here too; sessions.ts turns a checked person into
// a session. The shop always keeps at least one active owner.
import type pg from "pg";
import { inTransaction, type Database } from "../db/database.ts";
import type { Staff } from "../generated/prisma/client.ts";
import { NotAuthorizedError, ROLES, actorName, authorize, type Role } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { InvalidCredentialsError, LastOwnerError, NotFoundError, Problems, SetupUnavailableError, TooManyAttemptsError, ValidationError } from "./errors.ts";
import { dummyHash, hashSecret, newToken, sameHash, tokenHash, verifySecret } from "./secrets.ts";
import { adoptMachineTimeZone } from "./settings.ts";
import { parseId, parseText } from "./text.ts";

/** What the API shows of a staff member: never the hashes. */
export interface StaffInfo {
  id: number;
  displayName: string;
  username: string;
  role: Role;
  isActive: boolean;
  hasPin: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
}

export const toStaffInfo = (s: Staff): StaffInfo => ({
  id: s.id,
  displayName: s.displayName,
  username: s.username,
  role: s.role,
  isActive: s.isActive,
  hasPin: s.pinHash !== null,
  lockedUntil: s.lockedUntil && s.lockedUntil > new Date() ? s.lockedUntil : null,
  createdAt: s.createdAt,
});

/** Failed password/PIN attempts in a row before an account is locked, and for how long. */
export const ACCOUNT_LOCK_AFTER = 5;
export const ACCOUNT_LOCK_MINUTES = 15;
/** Failed attempts from one client address within the window before it gets 429s. */
export const ADDRESS_LIMIT = 20;
export const ADDRESS_WINDOW_MINUTES = 10;

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;

export function parseUsername(value: unknown, path: (string | number)[] = ["username"]): string {
  if (typeof value !== "string" || !value.trim()) throw ValidationError.one(path, "is required", "REQUIRED");
  const name = value.trim().toLowerCase();
  if (!USERNAME.test(name)) throw ValidationError.one(path, "must be 1–40 letters, digits, '.', '_' or '-', starting with a letter or digit", "INVALID_FORMAT");
  return name;
}

export function parsePassword(value: unknown, path: (string | number)[] = ["password"]): string {
  if (typeof value !== "string" || !value) throw ValidationError.one(path, "is required", "REQUIRED");
  if (value.length < 8) throw ValidationError.one(path, "must be at least 8 characters", "TOO_SHORT");
  if (value.length > 200) throw ValidationError.one(path, "must be at most 200 characters", "TOO_LONG");
  return value;
}

export function parsePin(value: unknown, path: (string | number)[] = ["pin"]): string {
  if (typeof value !== "string" || !/^\d{4,6}$/.test(value)) throw ValidationError.one(path, "must be 4 to 6 digits", "INVALID_PIN");
  return value;
}

function parseRole(value: unknown, path: (string | number)[] = ["role"]): Role {
  if (!ROLES.includes(value as Role)) throw ValidationError.one(path, `must be one of ${ROLES.join(", ")}`, "INVALID_VALUE");
  return value as Role;
}

const DISPLAY_NAME = { max: 80, required: true } as const;

export interface CreateStaffInput {
  displayName: unknown;
  username: unknown;
  role: unknown;
  password: unknown;
  pin?: unknown;
}

async function insertStaff(client: pg.PoolClient | pg.Pool, input: CreateStaffInput): Promise<Staff> {
  const p = new Problems();
  const displayName = p.take(() => parseText(input.displayName, ["displayName"], DISPLAY_NAME));
  const username = p.take(() => parseUsername(input.username));
  const role = p.take(() => parseRole(input.role));
  const password = p.take(() => parsePassword(input.password));
  const pin = input.pin == null || input.pin === "" ? null : p.take(() => parsePin(input.pin));
  p.throwIfAny();
  const passwordHash = await hashSecret(password!);
  const pinHash = pin ? await hashSecret(pin) : null;
  try {
    const { rows } = await client.query<StaffRow>(
      `INSERT INTO staff (display_name, username, role, password_hash, pin_hash) VALUES ($1, $2, $3, $4, $5) RETURNING ${STAFF_COLUMNS}`,
      [displayName, username, role, passwordHash, pinHash],
    );
    return toStaff(rows[0]!);
  } catch (err) {
    if ((err as { code?: string }).code === "23505") throw ValidationError.one(["username"], `the username ${username} is taken`, "DUPLICATE");
    throw err;
  }
}

export async function createStaff(ctx: ServiceContext, input: CreateStaffInput): Promise<StaffInfo> {
  authorize(ctx, "MANAGE_STAFF");
  return toStaffInfo(await insertStaff(ctx.db.pool, input));
}

export async function listStaff(ctx: ServiceContext): Promise<StaffInfo[]> {
  authorize(ctx, "MANAGE_STAFF");
  const rows = await ctx.db.prisma.staff.findMany({ orderBy: [{ isActive: "desc" }, { displayName: "asc" }, { id: "asc" }] });
  return rows.map(toStaffInfo);
}

export interface UpdateStaffInput {
  displayName?: unknown;
  role?: unknown;
  password?: unknown;
  /** null removes the PIN. */
  pin?: unknown;
  isActive?: unknown;
}

/**
 * Changes a staff member. Demoting or disabling an owner checks, under a lock
 * on the owners, that another active owner remains; a disabled person's
 * sessions end at once.
 */
export async function updateStaff(ctx: ServiceContext, id: unknown, input: UpdateStaffInput): Promise<StaffInfo> {
  authorize(ctx, "MANAGE_STAFF");
  const p = new Problems();
  const staffId = p.take(() => parseId(id, ["id"]));
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => sets.push(`${column} = $${values.push(value) + 1}`);
  if (input.displayName !== undefined) set("display_name", p.take(() => parseText(input.displayName, ["displayName"], DISPLAY_NAME)));
  const role = input.role === undefined ? undefined : p.take(() => parseRole(input.role));
  if (role) set("role", role);
  const password = input.password === undefined ? undefined : p.take(() => parsePassword(input.password));
  const pin = input.pin === undefined ? undefined : input.pin === null || input.pin === "" ? null : p.take(() => parsePin(input.pin));
  if (input.isActive !== undefined && typeof input.isActive !== "boolean") p.add(["isActive"], "must be true or false", "INVALID_TYPE");
  p.throwIfAny();
  if (password) set("password_hash", await hashSecret(password));
  if (pin !== undefined) set("pin_hash", pin === null ? null : await hashSecret(pin));
  if (typeof input.isActive === "boolean") set("is_active", input.isActive);
  // A new password is also how an owner unlocks a locked-out account.
  if (password) sets.push("failed_attempts = 0", "locked_until = NULL");

  return inTransaction(ctx.db.pool, async (client) => {
    // Every change to who is an owner takes the owners' rows in id order, so two
    // concurrent demotions cannot each see the other as the remaining owner.
    const { rows: owners } = await client.query<{ id: number }>(`SELECT id FROM staff WHERE role = 'OWNER' AND is_active ORDER BY id FOR UPDATE`);
    const { rows: found } = await client.query<StaffRow>(`SELECT ${STAFF_COLUMNS} FROM staff WHERE id = $1 FOR UPDATE`, [staffId]);
    if (!found[0]) throw new NotFoundError("Staff", staffId!);
    const isOwner = found[0].role === "OWNER" && found[0].is_active;
    const losesOwner = isOwner && ((role !== undefined && role !== "OWNER") || input.isActive === false);
    if (losesOwner && owners.filter((o) => o.id !== staffId).length === 0) throw new LastOwnerError(staffId!);
    if (!sets.length) return toStaffInfo(toStaff(found[0]));
    const { rows } = await client.query<StaffRow>(`UPDATE staff SET ${sets.join(", ")}, updated_at = now() WHERE id = $1 RETURNING ${STAFF_COLUMNS}`, [staffId, ...values]);
    if (input.isActive === false || password) {
      await client.query(`UPDATE sessions SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL`, [staffId]);
    }
    if (input.isActive === false) await client.query(`UPDATE sessions SET active_staff_id = NULL, unlocked_until = NULL WHERE active_staff_id = $1`, [staffId]);
    return toStaffInfo(toStaff(rows[0]!));
  });
}

export interface ChangeOwnCredentialsInput {
  currentPassword: unknown;
  /** Left out: the password stays. */
  newPassword?: unknown;
  /** Left out: the PIN stays; null or "" removes it. */
  newPin?: unknown;
}

/**
 * A signed-in person changes their own password and/or PIN, proving who they
 * are with the current password (a wrong one counts like a failed sign-in, so
 * guessing through this door locks the account too). A new password ends
 * their other web sessions; `keepSessionId` (the session asking) stays signed in.
 */
export async function changeOwnCredentials(
  ctx: ServiceContext,
  input: ChangeOwnCredentialsInput,
  where: { clientAddress: string; keepSessionId?: number | null },
): Promise<StaffInfo> {
  authorize(ctx, "CHANGE_OWN_PASSWORD");
  const { actor } = ctx;
  if (actor.kind !== "staff") throw new NotAuthorizedError("CHANGE_OWN_PASSWORD", `${actorName(actor)}, not a signed-in person,`);
  const p = new Problems();
  if (typeof input.currentPassword !== "string" || !input.currentPassword) p.add(["currentPassword"], "is required", "REQUIRED");
  const password = input.newPassword === undefined || input.newPassword === null ? undefined : p.take(() => parsePassword(input.newPassword, ["newPassword"]));
  const pin = input.newPin === undefined ? undefined : input.newPin === null || input.newPin === "" ? null : p.take(() => parsePin(input.newPin, ["newPin"]));
  if (input.newPassword == null && input.newPin === undefined) p.add([], "nothing to change: give a new password, a new PIN, or both", "NOTHING_TO_CHANGE");
  if (password !== undefined && password === input.currentPassword) p.add(["newPassword"], "must differ from the current password", "UNCHANGED");
  p.throwIfAny();
  const me = await ctx.db.prisma.staff.findUnique({ where: { id: actor.staffId } });
  if (!me) throw new NotFoundError("Staff", actor.staffId);
  try {
    await checkPassword(ctx.db, { username: me.username, secret: input.currentPassword, clientAddress: where.clientAddress });
  } catch (err) {
    if (err instanceof InvalidCredentialsError) throw ValidationError.one(["currentPassword"], "is not your current password", "WRONG_PASSWORD");
    throw err;
  }
  const sets: string[] = [];
  const values: unknown[] = [];
  if (password !== undefined) sets.push(`password_hash = $${values.push(await hashSecret(password)) + 1}`);
  if (pin !== undefined) sets.push(`pin_hash = $${values.push(pin === null ? null : await hashSecret(pin)) + 1}`);
  return inTransaction(ctx.db.pool, async (client) => {
    const { rows } = await client.query<StaffRow>(`UPDATE staff SET ${sets.join(", ")}, updated_at = now() WHERE id = $1 RETURNING ${STAFF_COLUMNS}`, [me.id, ...values]);
    if (password !== undefined) {
      // Their own web sessions elsewhere end; POS terminals they registered stay (each unlocks by PIN).
      await client.query(`UPDATE sessions SET revoked_at = now() WHERE staff_id = $1 AND kind = 'web' AND revoked_at IS NULL AND id IS DISTINCT FROM $2`, [me.id, where.keepSessionId ?? null]);
    }
    return toStaffInfo(toStaff(rows[0]!));
  });
}

// ---- checking a password or PIN ---------------------------------------------

export interface CredentialCheck {
  username: unknown;
  secret: unknown;
  /** The client's address as the front door saw it, for the per-address limit. */
  clientAddress: string;
}

async function checkAddress(db: Database, clientAddress: string) {
  const { rows } = await db.pool.query<{ n: string; oldest: Date | null }>(
    `SELECT count(*) AS n, min(created_at) AS oldest FROM sign_in_attempts
     WHERE client_address = $1 AND NOT succeeded AND created_at > now() - make_interval(mins => $2)`,
    [clientAddress, ADDRESS_WINDOW_MINUTES],
  );
  if (Number(rows[0]!.n) >= ADDRESS_LIMIT) {
    const oldest = rows[0]!.oldest ?? new Date();
    const retry = Math.max(1, Math.ceil((oldest.getTime() + ADDRESS_WINDOW_MINUTES * 60_000 - Date.now()) / 1000));
    throw new TooManyAttemptsError(`Too many failed sign-ins from this address; try again in ${Math.ceil(retry / 60)} minute(s)`, retry);
  }
}

async function recordAttempt(db: Database, clientAddress: string, username: string, succeeded: boolean) {
  await db.pool.query(`INSERT INTO sign_in_attempts (client_address, username, succeeded) VALUES ($1, $2, $3)`, [clientAddress, username.slice(0, 40), succeeded]);
  // Old attempts say nothing any more; keep the table small.
  if (!succeeded) await db.pool.query(`DELETE FROM sign_in_attempts WHERE created_at < now() - interval '1 day'`);
}

function lockedError(until: Date): TooManyAttemptsError {
  const retry = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new TooManyAttemptsError(
    `This account is locked after ${ACCOUNT_LOCK_AFTER} wrong attempts; try again in ${Math.ceil(retry / 60)} minute(s) or ask the owner to set a new password`,
    retry,
  );
}

/**
 * Checks a username with its password (or PIN): the shared path of sign-in and
 * terminal unlock. Refuses locked accounts and flooding addresses with
 * TooManyAttemptsError before looking at the secret.
 */
async function checkCredential(db: Database, input: CredentialCheck, kind: "password" | "pin"): Promise<Staff> {
  await checkAddress(db, input.clientAddress);
  const username = typeof input.username === "string" ? input.username.trim().toLowerCase() : "";
  const secret = typeof input.secret === "string" ? input.secret : "";
  const staff = username ? await db.prisma.staff.findUnique({ where: { username } }) : null;
  if (staff?.lockedUntil && staff.lockedUntil > new Date()) throw lockedError(staff.lockedUntil);
  const stored = kind === "password" ? staff?.passwordHash : staff?.pinHash;
  const ok = (await verifySecret(stored ?? (await dummyHash()), secret)) && Boolean(stored) && staff!.isActive;
  await recordAttempt(db, input.clientAddress, username, ok);
  if (!ok) {
    if (staff) {
      const { rows } = await db.pool.query<{ locked_until: Date | null }>(
        `UPDATE staff SET failed_attempts = failed_attempts + 1,
           locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
         WHERE id = $1 RETURNING locked_until`,
        [staff.id, ACCOUNT_LOCK_AFTER, ACCOUNT_LOCK_MINUTES],
      );
      const until = rows[0]?.locked_until;
      if (until && until > new Date()) throw lockedError(until);
    }
    throw new InvalidCredentialsError(kind === "password" ? "Wrong username or password" : "Wrong PIN, or this person has no PIN");
  }
  if (staff!.failedAttempts || staff!.lockedUntil) await db.pool.query(`UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = $1`, [staff!.id]);
  return staff!;
}

export const checkPassword = (db: Database, input: CredentialCheck) => checkCredential(db, input, "password");
export const checkPin = (db: Database, input: CredentialCheck) => checkCredential(db, input, "pin");

// ---- first run ---------------------------------------------------------------

export async function staffCount(db: Database): Promise<number> {
  return db.prisma.staff.count();
}

/**
 * When the shop has no staff yet: a fresh one-time setup token (older unused
 * ones stop working). Returns null once anyone exists.
 */
export async function createSetupToken(db: Database): Promise<string | null> {
  if ((await staffCount(db)) > 0) return null;
  const token = newToken("slsetup");
  await db.pool.query(`DELETE FROM setup_tokens WHERE used_at IS NULL`);
  await db.pool.query(`INSERT INTO setup_tokens (token_hash) VALUES ($1)`, [tokenHash(token)]);
  return token;
}

export interface SetupOwnerInput {
  token: unknown;
  displayName: unknown;
  username: unknown;
  password: unknown;
}

/** Creates the first owner with the printed setup token; works once, and only while no staff exists. */
export async function setupOwner(db: Database, input: SetupOwnerInput): Promise<StaffInfo> {
  const given = typeof input.token === "string" ? tokenHash(input.token.trim()) : "";
  return inTransaction(db.pool, async (client) => {
    await client.query(`LOCK TABLE setup_tokens IN EXCLUSIVE MODE`);
    const { rows } = await client.query<{ id: number; token_hash: string }>(`SELECT id, token_hash FROM setup_tokens WHERE used_at IS NULL`);
    const match = rows.find((r) => given && sameHash(r.token_hash, given));
    if (!match) throw new SetupUnavailableError("This setup link is not valid (it works once; restart StoreLite for a new one if no owner exists yet)");
    const { rows: count } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM staff`);
    if (Number(count[0]!.n) > 0) throw new SetupUnavailableError("The shop already has an owner; sign in instead");
    const staff = await insertStaff(client, { ...input, role: "OWNER" });
    await client.query(`UPDATE setup_tokens SET used_at = now() WHERE id = $1`, [match.id]);
    await adoptMachineTimeZone(client);
    return toStaffInfo(staff);
  });
}

/**
 * STORELITE_OWNER_USERNAME / STORELITE_OWNER_PASSWORD (scripted installs, CI):
 * creates that owner when the shop has no staff yet. Never changes an existing account.
 */
export async function ensureOwnerFromEnv(db: Database, env: { STORELITE_OWNER_USERNAME?: string; STORELITE_OWNER_PASSWORD?: string; STORELITE_OWNER_NAME?: string }): Promise<StaffInfo | null> {
  if (!env.STORELITE_OWNER_USERNAME || !env.STORELITE_OWNER_PASSWORD) return null;
  return inTransaction(db.pool, async (client) => {
    await client.query(`LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE`);
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM staff`);
    if (Number(rows[0]!.n) > 0) return null;
    const staff = await insertStaff(client, {
      displayName: env.STORELITE_OWNER_NAME ?? env.STORELITE_OWNER_USERNAME,
      username: env.STORELITE_OWNER_USERNAME,
      password: env.STORELITE_OWNER_PASSWORD,
      role: "OWNER",
    });
    await adoptMachineTimeZone(client);
    return toStaffInfo(staff);
  });
}

// ---- rows --------------------------------------------------------------------

const STAFF_COLUMNS = "id, display_name, username, role, password_hash, pin_hash, is_active, failed_attempts, locked_until, created_at, updated_at";

interface StaffRow {
  id: number;
  display_name: string;
  username: string;
  role: Role;
  password_hash: string;
  pin_hash: string | null;
  is_active: boolean;
  failed_attempts: number;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toStaff = (r: StaffRow): Staff => ({
  id: r.id,
  displayName: r.display_name,
  username: r.username,
  role: r.role,
  passwordHash: r.password_hash,
  pinHash: r.pin_hash,
  isActive: r.is_active,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
