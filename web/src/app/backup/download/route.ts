// Same-origin /backup/download for the "Download a backup" link on /admin:
// streams the API's fresh backup through (never buffered), with the browser's session.
import { forwardRest } from "../../rest-forward.ts";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  return forwardRest(req, "/backup/download");
}
