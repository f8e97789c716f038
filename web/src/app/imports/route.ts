// POST /imports: the import file upload, passed through to the API's REST endpoint.
import { forwardRest } from "../rest-forward.ts";

export const dynamic = "force-dynamic";
export const POST = (req: Request) => forwardRest(req, "/imports");
