// Server-side sessions in PostgreSQL and how a credential becomes an Actor.
// A session token (sls_…) arrives as the httpOnly cookie or a bearer token; an
// API token (slt_…) as a bearer token. Only sha256 hashes are stored, so a copy
// of the database holds no usable credential. Sign-out, revocation and expiry
// take effect on the next request: every request reads the session row.
import type { Database } from "../db/database.ts";
import { ROLE_PERMISSIONS, authorize, type Actor, type Permission, type Role } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { newToken, sameHash, tokenHash } from "./secrets.ts";
import { checkPassword, checkPin, toStaffInfo, type StaffInfo } from "./staff.ts";
import { resolveApiToken } from "./tokens.ts";
import { parseText } from "./text.ts";

export type SessionKind = "web" | "terminal";

/** How long a session lives: idle (since the last request) and absolute (since sign-in). */
export const SESSION_LIFETIME: Record<SessionKind, { idleMs: number; absoluteMs: number }> = {
  web: { idleMs: 12 * 3600_000, absoluteMs: 7 * 24 * 3600_000 },
  // A counter device stays registered for weeks; its cashiers unlock it with a PIN.
  terminal: { idleMs: 14 * 24 * 3600_000, absoluteMs: 90 * 24 * 3600_000 },
};
/** A terminal unlocked with a PIN locks itself after this long without a request. */
export const TERMINAL_AUTO_LOCK_MS = 5 * 60_000;
/** last_seen_at is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export interface SessionInfo {
  id: number;
  kind: SessionKind;
  terminalName: string | null;
  /** Terminal only: true until someone unlocks it with their PIN (and again after auto-lock). */
  locked: boolean;
  /** Who signed in (for a terminal: who registered it). */
  staffId: number;
  expiresAt: Date;
  /** Terminal only: when it locks itself if idle. */
  unlockedUntil: Date | null;
}

export interface Authenticated {
  actor: Actor;
  session?: SessionInfo;
  /** The session token as received, e.g. to hand the assistant's tool calls the same rights. */
  credential?: string;
}

const ANON: Authenticated = { actor: { kind: "anonymous" } };
const refused = (reason: string): Authenticated => ({ actor: { kind: "anonymous", reason } });

export function staffActor(s: { id: number; displayName: string; role: Role }): Actor {
  return { kind: "staff", staffId: s.id, name: s.displayName, role: s.role, permissions: new Set<Permission>(ROLE_PERMISSIONS[s.role]) };
}

/** Creates a session for a checked staff member; returns the token to set as the cookie (shown nowhere else). */
export async function createSession(db: Database, staffId: number, kind: SessionKind = "web", terminalName: string | null = null): Promise<{ token: string; session: SessionInfo }> {
  const token = newToken("sls");
  const expires = new Date(Date.now() + SESSION_LIFETIME[kind].absoluteMs);
  const row = await db.prisma.session.create({
    data: { tokenHash: tokenHash(token), kind: kind === "web" ? "WEB" : "TERMINAL", staffId, terminalName, expiresAt: expires },
  });
  return { token, session: toInfo(row) };
}

type SessionRow = Awaited<ReturnType<Database["prisma"]["session"]["create"]>>;
const toInfo = (r: SessionRow): SessionInfo => ({
  id: r.id,
  kind: r.kind === "WEB" ? "web" : "terminal",
  terminalName: r.terminalName,
  locked: r.kind === "TERMINAL" && !(r.activeStaffId && r.unlockedUntil && r.unlockedUntil > new Date()),
  staffId: r.staffId,
  expiresAt: r.expiresAt,
  unlockedUntil: r.kind === "TERMINAL" && r.activeStaffId ? r.unlockedUntil : null,
});

interface SessionJoinRow {
  id: number;
  token_hash: string;
  kind: "web" | "terminal";
  staff_id: number;
  terminal_name: string | null;
  active_staff_id: number | null;
  unlocked_until: Date | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  person_id: number | null;
  person_name: string | null;
  person_role: Role | null;
  person_active: boolean | null;
}

const toSessionRow = (r: SessionJoinRow): SessionRow => ({
  id: r.id,
  tokenHash: r.token_hash,
  kind: r.kind === "web" ? "WEB" : "TERMINAL",
  staffId: r.staff_id,
  terminalName: r.terminal_name,
  activeStaffId: r.active_staff_id,
  unlockedUntil: r.unlocked_until,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

/**
 * Turns a session token into the actor it stands for (a locked terminal stands
 * for nobody yet). One statement reads the session and the person it stands
 * for: this runs on every request.
 */
export async function authenticateSession(db: Database, token: string): Promise<Authenticated> {
  const hash = tokenHash(token);
  const { rows } = await db.pool.query<SessionJoinRow>({
    name: "sessions.authenticate",
    text: `SELECT s.id, s.token_hash, s.kind, s.staff_id, s.terminal_name, s.active_staff_id, s.unlocked_until,
              s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
              p.id AS person_id, p.display_name AS person_name, p.role AS person_role, p.is_active AS person_active
       FROM sessions s
       LEFT JOIN staff p ON p.id = CASE WHEN s.kind = 'terminal' THEN s.active_staff_id ELSE s.staff_id END
       WHERE s.token_hash = $1`,
    values: [hash],
  });
  const found = rows[0];
  if (!found || !sameHash(found.token_hash, hash)) return refused("This session is not known (signed out or never issued): sign in again");
  let row = toSessionRow(found);
  const now = Date.now();
  if (row.revokedAt) return refused("This session was signed out or revoked: sign in again");
  const life = SESSION_LIFETIME[row.kind === "WEB" ? "web" : "terminal"];
  if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + life.idleMs <= now) return refused("This session has expired: sign in again");
  const isTerminal = row.kind === "TERMINAL";
  const unlocked = isTerminal && row.activeStaffId !== null && row.unlockedUntil !== null && row.unlockedUntil.getTime() > now;
  // Touch the session (sliding idle expiry, terminal auto-lock) at most once a minute.
  const touchSeen = row.lastSeenAt.getTime() + TOUCH_EVERY_MS <= now;
  const touchUnlock = unlocked && row.unlockedUntil!.getTime() - now < TERMINAL_AUTO_LOCK_MS - TOUCH_EVERY_MS;
  if (touchSeen || touchUnlock) {
    row = await db.prisma.session.update({
      where: { id: row.id },
      data: { lastSeenAt: new Date(now), ...(touchUnlock ? { unlockedUntil: new Date(now + TERMINAL_AUTO_LOCK_MS) } : {}) },
    });
  }
  const session = toInfo(row);
  if (isTerminal && !unlocked) return { actor: { kind: "anonymous", reason: "This terminal is locked: unlock it with your PIN" }, session, credential: token };
  if (!found.person_active || found.person_id === null) return { ...refused("This staff account is disabled"), session };
  return { actor: staffActor({ id: found.person_id, displayName: found.person_name!, role: found.person_role! }), session, credential: token };
}

/** Any credential: a session token (cookie or bearer) or an API token (bearer). */
export async function authenticate(db: Database, credential: string | undefined): Promise<Authenticated> {
  if (!credential) return ANON;
  if (credential.startsWith("sls_")) return authenticateSession(db, credential);
  if (credential.startsWith("slt_")) {
    const resolved = await resolveApiToken(db, credential);
    return "reason" in resolved ? refused(resolved.reason) : { actor: resolved.actor, credential };
  }
  return refused("This is not a StoreLite session or API token");
}

// ---- signing in and out ------------------------------------------------------

export interface SignInResult {
  token: string;
  staff: StaffInfo;
  session: SessionInfo;
}

/** Password sign-in: a new web session. */
export async function signIn(db: Database, input: { username: unknown; password: unknown; clientAddress: string }): Promise<SignInResult> {
  const staff = await checkPassword(db, { username: input.username, secret: input.password, clientAddress: input.clientAddress });
  const { token, session } = await createSession(db, staff.id, "web");
  return { token, staff: toStaffInfo(staff), session };
}

/** Ends the session the token belongs to (a terminal too); unknown tokens are ignored. */
export async function signOut(db: Database, token: string | undefined): Promise<boolean> {
  if (!token?.startsWith("sls_")) return false;
  const { count } = await db.prisma.session.updateMany({ where: { tokenHash: tokenHash(token), revokedAt: null }, data: { revokedAt: new Date() } });
  return count > 0;
}

/** Ends every session of a staff member at once (MANAGE_STAFF). */
export async function revokeSessionsOf(ctx: ServiceContext, staffId: number): Promise<number> {
  authorize(ctx, "MANAGE_STAFF");
  const { count } = await ctx.db.prisma.session.updateMany({ where: { staffId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}

// ---- POS terminals -------------------------------------------------------------

/**
 * Signs this device in as a POS terminal: the manager's or owner's own web
 * session (the token given) ends and a terminal session, locked, takes its place.
 */
export async function registerTerminal(ctx: ServiceContext, currentToken: string | undefined, name: unknown): Promise<{ token: string; session: SessionInfo }> {
  authorize(ctx, "REGISTER_TERMINAL");
  const terminalName = parseText(name, ["name"], { max: 60, required: true })!;
  const staffId = ctx.actor.kind === "staff" ? ctx.actor.staffId : null;
  if (staffId === null) throw ValidationError.one([], "A terminal is registered from a signed-in staff member's browser, not with an API token", "NOT_A_SESSION");
  await signOut(ctx.db, currentToken);
  return createSession(ctx.db, staffId, "terminal", terminalName);
}

/** Who can unlock this terminal: active staff with a PIN (for the lock screen). Needs a terminal session. */
export async function terminalStaff(db: Database, auth: Authenticated): Promise<StaffInfo[]> {
  if (auth.session?.kind !== "terminal") throw ValidationError.one([], "This is not a POS terminal session: a manager registers the device first", "NOT_A_TERMINAL");
  const rows = await db.prisma.staff.findMany({ where: { isActive: true, pinHash: { not: null } }, orderBy: { displayName: "asc" } });
  return rows.map(toStaffInfo);
}

/** PIN unlock: only on a registered terminal's session, never as a credential of its own. */
export async function unlockTerminal(db: Database, auth: Authenticated, input: { username: unknown; pin: unknown; clientAddress: string }): Promise<{ staff: StaffInfo; session: SessionInfo }> {
  const session = auth.session;
  if (session?.kind !== "terminal") throw ValidationError.one([], "A PIN works only on a registered POS terminal; sign in with your password instead", "NOT_A_TERMINAL");
  const staff = await checkPin(db, { username: input.username, secret: input.pin, clientAddress: input.clientAddress });
  const row = await db.prisma.session.update({
    where: { id: session.id },
    data: { activeStaffId: staff.id, unlockedUntil: new Date(Date.now() + TERMINAL_AUTO_LOCK_MS), lastSeenAt: new Date() },
  });
  return { staff: toStaffInfo(staff), session: toInfo(row) };
}

export async function lockTerminal(db: Database, auth: Authenticated): Promise<SessionInfo> {
  if (auth.session?.kind !== "terminal") throw new NotFoundError("Session", auth.session?.id ?? 0);
  const row = await db.prisma.session.update({ where: { id: auth.session.id }, data: { activeStaffId: null, unlockedUntil: null } });
  return toInfo(row);
}
