// GET /backup/download: a fresh backup of the whole database streamed to the
// browser (the owner's "download a backup" on /admin). Nothing is kept on the
// server; a download cut short is an incomplete file that restore refuses.
import type { IncomingMessage } from "node:http";
import type { ServiceContext } from "../domain/context.ts";
import { NotAuthorizedError, UnauthenticatedError, authorize } from "../domain/access.ts";
import { streamBackup } from "../domain/backup.ts";
import { backupFileName } from "../backup/backup.ts";
import { HttpError } from "./errors.ts";
import type { Handler } from "./server.ts";

/** `ctx` authenticates the request (cookie or bearer); the domain checks MANAGE_SETTINGS. */
export function backupDownloadRoute(ctx: (req: IncomingMessage) => Promise<ServiceContext>): { prefix: string; handler: Handler } {
  return {
    prefix: "/backup/download",
    handler: async (req, res) => {
      if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, "METHOD_NOT_ALLOWED", "Use GET to download a backup");
      // Authenticated before anything is answered, HEAD included: the whole database is behind this route.
      let context: ServiceContext;
      try {
        context = await ctx(req);
        // The same check streamBackup makes, so HEAD cannot tell someone without MANAGE_SETTINGS more than GET would.
        authorize(context, "MANAGE_SETTINGS");
      } catch (err) {
        if (err instanceof UnauthenticatedError) throw new HttpError(401, err.code, err.message);
        if (err instanceof NotAuthorizedError) throw new HttpError(403, err.code, err.message);
        throw err;
      }
      const name = backupFileName(new Date(), "download");
      // Set, not sent: a refusal before the first byte can still answer with its own status.
      res.statusCode = 200;
      res.setHeader("content-type", "application/gzip");
      res.setHeader("content-disposition", `attachment; filename="${name}"`);
      res.setHeader("cache-control", "no-store");
      if (req.method === "HEAD") return void res.end();
      try {
        await streamBackup(context, res);
      } catch (err) {
        if (err instanceof UnauthenticatedError) throw new HttpError(401, err.code, err.message);
        if (err instanceof NotAuthorizedError) throw new HttpError(403, err.code, err.message);
        throw err;
      }
    },
  };
}
