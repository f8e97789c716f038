// Who may do what. Front doors authenticate (session cookie, bearer token, PIN
// at the console) and put an Actor in the ServiceContext; every domain service
// calls authorize() before it reads or writes, so one rule covers every door.
import { DomainError } from "./errors.ts";

/** The fixed list of permissions. Roles are presets over it (ROLE_PERMISSIONS). */
export const PERMISSIONS = [
  "SELL",
  "VIEW_CATALOG",
  "EDIT_CATALOG",
  "ADJUST_STOCK",
  "VIEW_OWN_BILLS",
  "VIEW_ALL_BILLS",
  "VIEW_REPORTS",
  "MANAGE_STAFF",
  "MANAGE_TOKENS",
  "MANAGE_SETTINGS",
  // Sign a device in as a POS terminal, on which cashiers then unlock with their PIN.
  "REGISTER_TERMINAL",
  // Discount a bill beyond the shop's cashier discount limit without a manager's approval.
  "DISCOUNT_OVER_LIMIT",
  // Take goods back against a bill and refund them (a cashier may start one; a manager's PIN approves it).
  "REFUND",
  // Void a bill of the current shift (or of today when shifts are off).
  "VOID_BILL",
  // Open and close a shift on a register, pay cash in and out, read its X report.
  "OPERATE_DRAWER",
  // Change one's own password and PIN (with the current password). Never an API token's scope.
  "CHANGE_OWN_PASSWORD",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["OWNER", "MANAGER", "CASHIER"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  CASHIER: ["SELL", "VIEW_CATALOG", "VIEW_OWN_BILLS", "OPERATE_DRAWER", "CHANGE_OWN_PASSWORD"],
  MANAGER: [
    "SELL",
    "VIEW_CATALOG",
    "EDIT_CATALOG",
    "ADJUST_STOCK",
    "VIEW_OWN_BILLS",
    "VIEW_ALL_BILLS",
    "VIEW_REPORTS",
    "REGISTER_TERMINAL",
    "DISCOUNT_OVER_LIMIT",
    "REFUND",
    "VOID_BILL",
    "OPERATE_DRAWER",
    "CHANGE_OWN_PASSWORD",
  ],
  OWNER: PERMISSIONS,
};

/**
 * Who is asking. `staff` is a signed-in person (web session, console sign-in,
 * or a person behind the assistant); `token` an API token with its scopes;
 * `system` the machine's own trusted work (migrations, seed, schedules).
 */
export type Actor =
  | { kind: "staff"; staffId: number; name: string; role: Role; permissions: ReadonlySet<Permission> }
  | { kind: "token"; tokenId: number; name: string; staffId: number; staffName?: string; permissions: ReadonlySet<Permission> }
  | { kind: "system"; name: string; permissions: ReadonlySet<Permission> }
  /** `reason` says why a credential that was sent did not count (expired, revoked, locked terminal). */
  | { kind: "anonymous"; reason?: string };

export const ANONYMOUS: Actor = { kind: "anonymous" };

/** Permissions that belong to a signed-in person and are never granted to an API token. */
export const PERSONAL_PERMISSIONS: readonly Permission[] = ["CHANGE_OWN_PASSWORD"];

/** What an API token's scopes may list: every permission but the personal ones. */
export const TOKEN_SCOPES: readonly Permission[] = PERMISSIONS.filter((p) => !PERSONAL_PERMISSIONS.includes(p));

/** The machine's own work: every permission, recorded under this name. */
export function systemActor(name = "system"): Actor {
  return { kind: "system", name, permissions: new Set(PERMISSIONS) };
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.kind !== "anonymous" && actor.permissions.has(permission);
}

/** No credentials at all: GraphQL code UNAUTHENTICATED, REST 401. */
export class UnauthenticatedError extends DomainError {
  readonly code = "UNAUTHENTICATED";
  constructor(message = "Sign in first: this needs a staff session or an API token") {
    super(message);
  }
}

/** Signed in, but the role or token scopes lack the permission: REST 403. */
export class NotAuthorizedError extends DomainError {
  readonly code = "NOT_AUTHORIZED";
  constructor(readonly permission: Permission, who: string) {
    super(`${who} may not do this: it needs the ${permission} permission`);
  }
}

/** The machine's own work limited to some permissions (e.g. the MCP server without a token: reading only). */
export function limitedSystemActor(name: string, permissions: readonly Permission[]): Actor {
  return { kind: "system", name, permissions: new Set(permissions) };
}

/** A readable name for who acted: the staff member (for a token, its creator), else the actor's name. */
export function actorName(actor: Actor): string {
  if (actor.kind === "anonymous") return "anonymous";
  if (actor.kind === "token") return actor.staffName ?? actor.name;
  return actor.name;
}

/** Whose conversations and threads an actor sees ("staff:3", "token:7", "system:console"). */
export function actorOwnerKey(actor: Actor): string {
  if (actor.kind === "staff") return `staff:${actor.staffId}`;
  if (actor.kind === "token") return `token:${actor.tokenId}`;
  if (actor.kind === "system") return `system:${actor.name}`;
  return "anonymous";
}

/** The staff member recorded on what an actor writes (bills, movements), if any. */
export function actorStaffId(actor: Actor): number | null {
  return actor.kind === "staff" || actor.kind === "token" ? actor.staffId : null;
}

/** Throws unless the actor holds the permission. Call before any read or write. */
export function authorize(ctx: { actor: Actor }, permission: Permission): void {
  const { actor } = ctx;
  if (actor.kind === "anonymous") throw new UnauthenticatedError(actor.reason);
  if (!actor.permissions.has(permission)) {
    throw new NotAuthorizedError(permission, describeActor(actor));
  }
}

function describeActor(actor: Exclude<Actor, { kind: "anonymous" }>): string {
  return actor.kind === "staff" ? `${actor.name} (${actor.role.toLowerCase()})` : actor.kind === "token" ? `Token "${actor.name}"` : actor.name;
}

/** Throws unless the actor holds at least one of the permissions (the first is named in the refusal). */
export function authorizeAny(ctx: { actor: Actor }, permissions: readonly [Permission, ...Permission[]]): Permission {
  const { actor } = ctx;
  if (actor.kind === "anonymous") throw new UnauthenticatedError(actor.reason);
  const held = permissions.find((p) => actor.permissions.has(p));
  if (!held) throw new NotAuthorizedError(permissions[0], describeActor(actor));
  return held;
}
