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
  // Discount a bill beyond the shop's cashier discount limit without a manager's approval.
  "DISCOUNT_OVER_LIMIT",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["OWNER", "MANAGER", "CASHIER"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  CASHIER: ["SELL", "VIEW_CATALOG", "VIEW_OWN_BILLS"],
  MANAGER: ["SELL", "VIEW_CATALOG", "EDIT_CATALOG", "ADJUST_STOCK", "VIEW_OWN_BILLS", "VIEW_ALL_BILLS", "VIEW_REPORTS", "DISCOUNT_OVER_LIMIT"],
  OWNER: PERMISSIONS,
};

/**
 * Who is asking. `staff` is a signed-in person (web session, console sign-in,
 * or a person behind the assistant); `token` an API token with its scopes;
 * `system` the machine's own trusted work (migrations, seed, schedules).
 */
export type Actor =
  | { kind: "staff"; staffId: number; name: string; role: Role; permissions: ReadonlySet<Permission> }
  | { kind: "token"; tokenId: number; name: string; staffId: number; permissions: ReadonlySet<Permission> }
  | { kind: "system"; name: string; permissions: ReadonlySet<Permission> }
  | { kind: "anonymous" };

export const ANONYMOUS: Actor = { kind: "anonymous" };

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

/** The staff member recorded on what an actor writes (bills, movements), if any. */
export function actorStaffId(actor: Actor): number | null {
  return actor.kind === "staff" || actor.kind === "token" ? actor.staffId : null;
}

/** Throws unless the actor holds the permission. Call before any read or write. */
export function authorize(ctx: { actor: Actor }, permission: Permission): void {
  const { actor } = ctx;
  if (actor.kind === "anonymous") throw new UnauthenticatedError();
  if (!actor.permissions.has(permission)) {
    const who = actor.kind === "staff" ? `${actor.name} (${actor.role.toLowerCase()})` : actor.kind === "token" ? `Token "${actor.name}"` : actor.name;
    throw new NotAuthorizedError(permission, who);
  }
}
