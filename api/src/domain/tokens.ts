// API tokens for scripts and integrations (curl, the MCP server): named, with
// scopes that never exceed what their creator may do, optional expiry, revocable.
// The secret is returned once by createApiToken and stored only as its sha256.
import type { Database } from "../db/database.ts";
import type { ApiToken } from "../generated/prisma/client.ts";
import { PERMISSIONS, PERSONAL_PERMISSIONS, ROLE_PERMISSIONS, TOKEN_SCOPES, actorStaffId, authorize, type Actor, type Permission } from "./access.ts";
import type { ServiceContext } from "./context.ts";
import { NotFoundError, Problems, ValidationError } from "./errors.ts";
import { newToken, sameHash, tokenHash } from "./secrets.ts";
import { parseId, parseText } from "./text.ts";

export interface ApiTokenInfo {
  id: number;
  name: string;
  /** The start of the secret, to tell tokens apart: "slt_Ab3d…". */
  prefix: string;
  scopes: Permission[];
  createdBy: number;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const toInfo = (t: ApiToken): ApiTokenInfo => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes as Permission[],
  createdBy: t.createdBy,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});

export interface CreateApiTokenInput {
  name: unknown;
  scopes: unknown;
  /** Optional: a Date or ISO date-time in the future. */
  expiresAt?: unknown;
}

/** Creates a token; `secret` is the only time the full token is ever shown. */
export async function createApiToken(ctx: ServiceContext, input: CreateApiTokenInput): Promise<{ token: ApiTokenInfo; secret: string }> {
  authorize(ctx, "MANAGE_TOKENS");
  const staffId = actorStaffId(ctx.actor);
  if (staffId === null) throw ValidationError.one([], "An API token belongs to a staff member: create it while signed in as one", "NO_STAFF");
  const p = new Problems();
  const name = p.take(() => parseText(input.name, ["name"], { max: 80, required: true }));
  const scopes = Array.isArray(input.scopes) ? [...new Set(input.scopes)] : [];
  if (!Array.isArray(input.scopes) || !scopes.length) p.add(["scopes"], `must list at least one permission (${TOKEN_SCOPES.join(", ")})`, "REQUIRED");
  scopes.forEach((s, i) => {
    if (!PERMISSIONS.includes(s as Permission)) p.add(["scopes", i], `${String(s)} is not a permission`, "INVALID_VALUE");
    else if (PERSONAL_PERMISSIONS.includes(s as Permission)) p.add(["scopes", i], `${String(s)} belongs to a signed-in person and cannot be given to a token`, "NOT_FOR_TOKENS");
    // A token can never do more than the person creating it.
    else if (ctx.actor.kind !== "anonymous" && !ctx.actor.permissions.has(s as Permission)) p.add(["scopes", i], `you do not hold ${String(s)} yourself`, "NOT_HELD");
  });
  let expiresAt: Date | null = null;
  if (input.expiresAt != null && input.expiresAt !== "") {
    expiresAt = input.expiresAt instanceof Date ? input.expiresAt : new Date(String(input.expiresAt));
    if (Number.isNaN(expiresAt.getTime())) p.add(["expiresAt"], "must be an ISO date-time", "INVALID_DATE");
    else if (expiresAt <= new Date()) p.add(["expiresAt"], "must be in the future", "IN_THE_PAST");
  }
  p.throwIfAny();
  const secret = newToken("slt");
  const row = await ctx.db.prisma.apiToken.create({
    data: { name: name!, prefix: secret.slice(0, 10), tokenHash: tokenHash(secret), scopes: scopes as string[], createdBy: staffId, expiresAt },
  });
  return { token: toInfo(row), secret };
}

export async function listApiTokens(ctx: ServiceContext): Promise<ApiTokenInfo[]> {
  authorize(ctx, "MANAGE_TOKENS");
  const rows = await ctx.db.prisma.apiToken.findMany({ orderBy: { id: "desc" } });
  return rows.map(toInfo);
}

export async function revokeApiToken(ctx: ServiceContext, id: unknown): Promise<ApiTokenInfo> {
  authorize(ctx, "MANAGE_TOKENS");
  const tokenId = parseId(id, ["id"]);
  const found = await ctx.db.prisma.apiToken.findUnique({ where: { id: tokenId } });
  if (!found) throw new NotFoundError("ApiToken", tokenId);
  if (found.revokedAt) return toInfo(found);
  return toInfo(await ctx.db.prisma.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } }));
}

/** A bearer API token → its actor: scopes ∩ the creator's current role, while the creator is active. */
export async function resolveApiToken(db: Database, secret: string): Promise<{ actor: Actor; token: ApiTokenInfo } | { reason: string }> {
  const hash = tokenHash(secret);
  const row = await db.prisma.apiToken.findUnique({ where: { tokenHash: hash }, include: { creator: true } });
  if (!row || !sameHash(row.tokenHash, hash)) return { reason: "This API token is not known" };
  if (row.revokedAt) return { reason: `The API token "${row.name}" was revoked` };
  if (row.expiresAt && row.expiresAt <= new Date()) return { reason: `The API token "${row.name}" has expired` };
  if (!row.creator.isActive) return { reason: `The API token "${row.name}" belongs to a disabled staff account` };
  const held = new Set<Permission>(ROLE_PERMISSIONS[row.creator.role]);
  const permissions = new Set((row.scopes as Permission[]).filter((s) => held.has(s) && !PERSONAL_PERMISSIONS.includes(s)));
  // last_used_at to the minute: one write per token per minute at most.
  if (!row.lastUsedAt || row.lastUsedAt.getTime() < Date.now() - 60_000) {
    await db.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    actor: { kind: "token", tokenId: row.id, name: row.name, staffId: row.createdBy, staffName: row.creator.displayName, permissions },
    token: toInfo(row),
  };
}
