// Staff, sessions, POS terminals, API tokens and the catalogue change history.
// Resolvers are one call into the domain; signing in sets the httpOnly session
// cookie on the response (the token is never in a GraphQL payload).
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, type Actor } from "../../domain/access.ts";
import { InvalidCredentialsError, LastOwnerError, NotFoundError, SetupUnavailableError, TooManyAttemptsError, ValidationError } from "../../domain/errors.ts";
import { listItemChanges, type ItemChangeEntry } from "../../domain/items.ts";
import {
  SESSION_LIFETIME,
  TERMINAL_AUTO_LOCK_MS,
  lockTerminal,
  registerTerminal,
  signIn,
  signOut,
  terminalStaff,
  unlockTerminal,
  createSession,
  type SessionInfo,
} from "../../domain/sessions.ts";
import { changeOwnCredentials, createStaff, listStaff, setupOwner, staffCount, updateStaff, type StaffInfo } from "../../domain/staff.ts";
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenInfo } from "../../domain/tokens.ts";
import { builder, type Context } from "../builder.ts";

const RoleEnum = builder.enumType("Role", { values: ROLES });
const PermissionEnum = builder.enumType("Permission", { values: PERMISSIONS });

export const StaffRef = builder.objectRef<StaffInfo>("Staff").implement({
  description: "A person who works in the shop.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    displayName: t.exposeString("displayName"),
    username: t.exposeString("username"),
    role: t.field({ type: RoleEnum, resolve: (s) => s.role }),
    permissions: t.field({ type: [PermissionEnum], description: "What the role allows.", resolve: (s) => [...ROLE_PERMISSIONS[s.role]] }),
    isActive: t.exposeBoolean("isActive"),
    hasPin: t.exposeBoolean("hasPin", { description: "Can unlock a POS terminal with a PIN." }),
    lockedUntil: t.expose("lockedUntil", { type: "DateTime", nullable: true, description: "Set while locked out after wrong attempts." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const SessionKindEnum = builder.enumType("SessionKind", { values: { WEB: { value: "web" }, TERMINAL: { value: "terminal" } } as const });

const SessionRef = builder.objectRef<SessionInfo>("Session").implement({
  description: "This browser's sign-in: a personal web session, or a registered POS terminal.",
  fields: (t) => ({
    kind: t.field({ type: SessionKindEnum, resolve: (s) => s.kind }),
    terminalName: t.exposeString("terminalName", { nullable: true }),
    locked: t.exposeBoolean("locked", { description: "Terminal only: true until a cashier unlocks it with their PIN, and again after auto-lock." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    unlockedUntil: t.expose("unlockedUntil", { type: "DateTime", nullable: true, description: "Terminal only: when it locks itself if left idle." }),
    autoLockSeconds: t.int({
      nullable: true,
      description: "Terminal only: how long without a request before it locks itself (the web app locks after as long without input).",
      resolve: (s) => (s.kind === "terminal" ? TERMINAL_AUTO_LOCK_MS / 1000 : null),
    }),
  }),
});

interface MeInfo {
  actor: Actor;
  session: SessionInfo | null;
}

const MeRef = builder.objectRef<MeInfo>("Me").implement({
  description: "Who this request acts as. Everything is null/empty for an anonymous request.",
  fields: (t) => ({
    staff: t.field({
      type: StaffRef,
      nullable: true,
      description: "The signed-in person (on a terminal: who unlocked it; null while locked).",
      resolve: async (me, _, ctx) => {
        const id = me.actor.kind === "staff" ? me.actor.staffId : me.actor.kind === "token" ? me.actor.staffId : null;
        if (id === null) return null;
        const s = await ctx.db.prisma.staff.findUnique({ where: { id } });
        return s ? { id: s.id, displayName: s.displayName, username: s.username, role: s.role, isActive: s.isActive, hasPin: s.pinHash !== null, lockedUntil: null, createdAt: s.createdAt } : null;
      },
    }),
    session: t.field({ type: SessionRef, nullable: true, resolve: (me) => me.session }),
    tokenName: t.string({ nullable: true, description: "When acting with an API token: its name.", resolve: (me) => (me.actor.kind === "token" ? me.actor.name : null) }),
    permissions: t.field({ type: [PermissionEnum], resolve: (me) => (me.actor.kind === "anonymous" ? [] : PERMISSIONS.filter((p) => me.actor.kind !== "anonymous" && me.actor.permissions.has(p))) }),
    setupRequired: t.boolean({ description: "True while the shop has no staff at all (first run: use the printed setup link).", resolve: async (_, __, ctx) => (await staffCount(ctx.db)) === 0 }),
    reason: t.string({ nullable: true, description: "Why a credential that was sent does not count (expired, revoked, locked terminal).", resolve: (me) => (me.actor.kind === "anonymous" ? (me.actor.reason ?? null) : null) }),
  }),
});

const ApiTokenRef = builder.objectRef<ApiTokenInfo>("ApiToken").implement({
  description: "A bearer token for scripts and integrations. The secret itself is shown only once, by createApiToken.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    name: t.exposeString("name"),
    prefix: t.exposeString("prefix", { description: "The token's first characters, to recognise it." }),
    scopes: t.field({ type: [PermissionEnum], resolve: (k) => k.scopes }),
    createdBy: t.exposeInt("createdBy"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", nullable: true }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
  }),
});

const ItemChangeRef = builder.objectRef<ItemChangeEntry>("ItemChange").implement({
  description: "One changed catalogue field: before, after, who and when.",
  fields: (t) => ({
    id: t.exposeInt("id"),
    itemId: t.exposeInt("itemId"),
    field: t.exposeString("field", { description: "name, category, unit, unitPrice, sku or isActive." }),
    before: t.exposeString("before", { nullable: true }),
    after: t.exposeString("after", { nullable: true }),
    actorId: t.exposeInt("actorId", { nullable: true, description: "The staff member; null for the machine's own work." }),
    actorName: t.exposeString("actorName"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

/** The HTTP parts of the context; sign-in and terminals exist only over HTTP. */
function http(ctx: Context) {
  if (!ctx.http) throw ValidationError.one([], "Signing in works only over HTTP", "NOT_HTTP");
  return ctx.http;
}

const cookieAge = (s: SessionInfo) => Math.max(1, Math.floor((s.expiresAt.getTime() - Date.now()) / 1000));

builder.queryFields((t) => ({
  me: t.field({
    type: MeRef,
    description: "Who you are signed in as (or null staff when not signed in), your permissions, and whether first-run setup is pending.",
    resolve: (_, __, ctx) => ({ actor: ctx.actor, session: ctx.http?.auth.session ?? null }),
  }),
  terminalStaff: t.field({
    type: [StaffRef],
    description: "On a registered POS terminal: the active staff who can unlock it with a PIN (for the lock screen).",
    resolve: (_, __, ctx) => terminalStaff(ctx.db, http(ctx).auth),
  }),
  staffMembers: t.field({ type: [StaffRef], description: "Everyone with an account (MANAGE_STAFF).", resolve: (_, __, ctx) => listStaff(ctx) }),
  apiTokens: t.field({ type: [ApiTokenRef], description: "API tokens, newest first (MANAGE_TOKENS).", resolve: (_, __, ctx) => listApiTokens(ctx) }),
  itemChanges: t.field({
    type: [ItemChangeRef],
    description: "Catalogue change history, newest first; one item or all (EDIT_CATALOG).",
    args: { itemId: t.arg.int({ required: false }), first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (_, args, ctx) => listItemChanges(ctx, args),
  }),
}));

const SignInPayload = builder.objectRef<{ staff: StaffInfo; session: SessionInfo }>("SignInSuccess").implement({
  description: "Signed in: the session cookie is set on this response.",
  fields: (t) => ({ staff: t.field({ type: StaffRef, resolve: (r) => r.staff }), session: t.field({ type: SessionRef, resolve: (r) => r.session }) }),
});

const TerminalPayload = builder.objectRef<{ session: SessionInfo }>("TerminalSuccess").implement({
  fields: (t) => ({ session: t.field({ type: SessionRef, resolve: (r) => r.session }) }),
});

const UnlockPayload = builder.objectRef<{ staff: StaffInfo; session: SessionInfo }>("UnlockTerminalSuccess").implement({
  fields: (t) => ({ staff: t.field({ type: StaffRef, resolve: (r) => r.staff }), session: t.field({ type: SessionRef, resolve: (r) => r.session }) }),
});

const CreateStaffInput = builder.inputType("CreateStaffInput", {
  fields: (t) => ({
    displayName: t.string({ required: true }),
    username: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
    password: t.string({ required: true, description: "At least 8 characters." }),
    pin: t.string({ required: false, description: "4–6 digits, to unlock a POS terminal." }),
  }),
});

const UpdateStaffInput = builder.inputType("UpdateStaffInput", {
  description: "Only the fields given change. The last active owner cannot be demoted or disabled.",
  fields: (t) => ({
    displayName: t.string({ required: false }),
    role: t.field({ type: RoleEnum, required: false }),
    password: t.string({ required: false, description: "A new password also clears a lockout and ends the person's sessions." }),
    pin: t.string({ required: false, description: "null removes the PIN." }),
    isActive: t.boolean({ required: false, description: "false disables the account and ends its sessions at once." }),
  }),
});

const ChangeMyPasswordInput = builder.inputType("ChangeMyPasswordInput", {
  description: "Your own password and/or PIN, proven with your current password.",
  fields: (t) => ({
    currentPassword: t.string({ required: true }),
    newPassword: t.string({ required: false, description: "At least 8 characters; your other web sessions end, this one stays." }),
    newPin: t.string({ required: false, description: "4–6 digits to unlock a POS terminal; null or \"\" removes your PIN." }),
  }),
});

const CreateApiTokenInput = builder.inputType("CreateApiTokenInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.field({ type: [PermissionEnum], required: true, description: "A subset of your own permissions." }),
    expiresAt: t.field({ type: "DateTime", required: false }),
  }),
});

const CreateApiTokenPayload = builder.objectRef<{ token: ApiTokenInfo; secret: string }>("CreateApiTokenSuccess").implement({
  fields: (t) => ({
    token: t.field({ type: ApiTokenRef, resolve: (r) => r.token }),
    secret: t.exposeString("secret", { description: "The token itself, shown this once: send it as `Authorization: Bearer <secret>`." }),
  }),
});

const signInErrors = [ValidationError, InvalidCredentialsError, TooManyAttemptsError];

builder.mutationFields((t) => ({
  signIn: t.field({
    type: SignInPayload,
    description: "Username + password: starts a web session and sets the httpOnly session cookie.",
    errors: { types: signInErrors, union: { name: "SignInResult" }, directResult: true },
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_, args, ctx) => {
      const h = http(ctx);
      const result = await signIn(ctx.db, { ...args, clientAddress: h.auth.clientAddress });
      h.setSessionCookie(result.token, cookieAge(result.session));
      return result;
    },
  }),
  signOut: t.boolean({
    description: "Ends this browser's session (a terminal too) and clears the cookie. True when a session was ended.",
    resolve: async (_, __, ctx) => {
      const h = http(ctx);
      const ended = await signOut(ctx.db, h.auth.via === "none" ? undefined : (h.auth.credential ?? undefined));
      if (h.auth.via === "cookie") h.setSessionCookie(null);
      return ended;
    },
  }),
  setupOwner: t.field({
    type: SignInPayload,
    description: "First run only: creates the owner with the one-time token from the printed setup link, and signs them in.",
    errors: { types: [ValidationError, SetupUnavailableError], union: { name: "SetupOwnerResult" }, directResult: true },
    args: {
      token: t.arg.string({ required: true }),
      displayName: t.arg.string({ required: true }),
      username: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    },
    resolve: async (_, args, ctx) => {
      const h = http(ctx);
      const staff = await setupOwner(ctx.db, args);
      const { token, session } = await createSession(ctx.db, staff.id, "web");
      h.setSessionCookie(token, cookieAge(session));
      return { staff, session };
    },
  }),
  registerTerminal: t.field({
    type: TerminalPayload,
    description: "A manager or owner signs this device in as a POS terminal (their own session ends). It starts locked; cashiers unlock it with unlockTerminal.",
    errors: { types: [ValidationError], union: { name: "RegisterTerminalResult" }, directResult: true },
    args: { name: t.arg.string({ required: true, description: 'E.g. "Counter 1".' }) },
    resolve: async (_, args, ctx) => {
      const h = http(ctx);
      const { token, session } = await registerTerminal(ctx, h.auth.credential, args.name);
      h.setSessionCookie(token, Math.floor(SESSION_LIFETIME.terminal.absoluteMs / 1000));
      return { session };
    },
  }),
  unlockTerminal: t.field({
    type: UnlockPayload,
    description: "On a registered POS terminal: a staff member unlocks it with their PIN and works as themselves until it locks (lockTerminal, or 5 idle minutes).",
    errors: { types: signInErrors, union: { name: "UnlockTerminalResult" }, directResult: true },
    args: { username: t.arg.string({ required: true }), pin: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => {
      const h = http(ctx);
      return unlockTerminal(ctx.db, h.auth, { ...args, clientAddress: h.auth.clientAddress });
    },
  }),
  lockTerminal: t.field({
    type: TerminalPayload,
    description: "Locks this POS terminal (the next person unlocks it with their PIN).",
    errors: { types: [NotFoundError], union: { name: "LockTerminalResult" }, directResult: true },
    resolve: async (_, __, ctx) => ({ session: await lockTerminal(ctx.db, http(ctx).auth) }),
  }),
  createStaff: t.field({
    type: StaffRef,
    errors: { types: [ValidationError], union: { name: "CreateStaffResult" }, result: { name: "CreateStaffSuccess" }, dataField: { name: "staff" } },
    args: { input: t.arg({ type: CreateStaffInput, required: true }) },
    resolve: (_, { input }, ctx) => createStaff(ctx, input),
  }),
  updateStaff: t.field({
    type: StaffRef,
    errors: { types: [ValidationError, NotFoundError, LastOwnerError], union: { name: "UpdateStaffResult" }, result: { name: "UpdateStaffSuccess" }, dataField: { name: "staff" } },
    args: { id: t.arg.int({ required: true }), input: t.arg({ type: UpdateStaffInput, required: true }) },
    resolve: (_, { id, input }, ctx) => updateStaff(ctx, id, input),
  }),
  changeMyPassword: t.field({
    type: StaffRef,
    description: "Changes the signed-in person's own password and/or PIN (CHANGE_OWN_PASSWORD; never through an API token).",
    errors: { types: [ValidationError, TooManyAttemptsError], union: { name: "ChangeMyPasswordResult" }, result: { name: "ChangeMyPasswordSuccess" }, dataField: { name: "staff" } },
    args: { input: t.arg({ type: ChangeMyPasswordInput, required: true }) },
    resolve: (_, { input }, ctx) => {
      const { auth } = http(ctx);
      return changeOwnCredentials(ctx, input, { clientAddress: auth.clientAddress, keepSessionId: auth.session?.id ?? null });
    },
  }),
  createApiToken: t.field({
    type: CreateApiTokenPayload,
    errors: { types: [ValidationError], union: { name: "CreateApiTokenResult" }, directResult: true },
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: (_, { input }, ctx) => createApiToken(ctx, input),
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    errors: { types: [ValidationError, NotFoundError], union: { name: "RevokeApiTokenResult" }, result: { name: "RevokeApiTokenSuccess" }, dataField: { name: "token" } },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, { id }, ctx) => revokeApiToken(ctx, id),
  }),
}));
