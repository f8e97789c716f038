// /auth: signing in and out over REST (a browser session cookie), and who the
// request acts as. Scripts normally skip this and send an API token instead.
import { PERMISSIONS, ROLE_PERMISSIONS } from "../domain/access.ts";
import { signIn, signOut } from "../domain/sessions.ts";
import { sessionCookie, isHttps } from "../http/auth.ts";
import { operation } from "./operation.ts";
import { invalid, tooManyAttempts } from "./responses.ts";
import { ErrorResponse, MeResponse, SignInRequest, StaffResponse } from "./schemas.ts";

const tag = "Sign-in";

const staffJson = (s: { id: number; displayName: string; username: string; role: "OWNER" | "MANAGER" | "CASHIER" }) => ({
  id: s.id,
  display_name: s.displayName,
  username: s.username,
  role: s.role,
  permissions: [...ROLE_PERMISSIONS[s.role]],
});

export const authOperations = [
  operation({
    method: "POST",
    path: "/auth/sign-in",
    operationId: "signIn",
    permission: "public",
    tag,
    summary: "Sign in with username and password",
    description: "Starts a web session: the httpOnly `storelite_session` cookie is set. Cookie-authenticated requests must also send `X-StoreLite-CSRF: 1` (or a same-origin Origin).",
    body: SignInRequest,
    example: { username: "owner", password: "correct horse battery" },
    responses: {
      200: { description: "Signed in; the session cookie is set.", schema: StaffResponse, headers: { "Set-Cookie": { description: "The session cookie." } } },
      401: { description: "Wrong username or password (INVALID_CREDENTIALS).", schema: ErrorResponse },
      422: invalid(),
      429: tooManyAttempts,
    },
    async handle({ body, req }, ctx) {
      const result = await signIn(ctx.db, { username: body.username, password: body.password, clientAddress: ctx.auth.clientAddress });
      const maxAge = Math.floor((result.session.expiresAt.getTime() - Date.now()) / 1000);
      return { status: 200, body: staffJson(result.staff), headers: { "set-cookie": sessionCookie(result.token, { secure: isHttps(req), maxAgeSeconds: maxAge }) } };
    },
  }),

  operation({
    method: "POST",
    path: "/auth/sign-out",
    operationId: "signOut",
    permission: "public",
    tag,
    summary: "Sign out (end this session)",
    responses: { 200: { description: "The session, if any, is ended and the cookie cleared." } },
    async handle({ req }, ctx) {
      const ended = await signOut(ctx.db, ctx.auth.via === "none" ? undefined : ctx.auth.credential);
      return { status: 200, body: { signed_out: ended }, headers: { "set-cookie": sessionCookie(null, { secure: isHttps(req) }) } };
    },
  }),

  operation({
    method: "GET",
    path: "/auth/me",
    operationId: "me",
    permission: "public",
    tag,
    summary: "Who this request acts as",
    responses: { 200: { description: "The staff member (null when anonymous) and the permissions in effect.", schema: MeResponse } },
    async handle(_input, ctx) {
      const a = ctx.actor;
      const staffId = a.kind === "staff" || a.kind === "token" ? a.staffId : null;
      const staff = staffId === null ? null : await ctx.db.prisma.staff.findUnique({ where: { id: staffId } });
      return {
        status: 200,
        body: {
          staff: staff ? staffJson(staff) : null,
          token_name: a.kind === "token" ? a.name : null,
          permissions: a.kind === "anonymous" ? [] : PERMISSIONS.filter((p) => a.permissions.has(p)),
        },
      };
    },
  }),
];
