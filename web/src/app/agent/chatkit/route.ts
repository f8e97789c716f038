// /agent/chatkit: the ChatKit protocol endpoint for the /agent page, forwarded to the API's /chatkit.
import { forward } from "../forward.ts";

export const dynamic = "force-dynamic";

export const POST = (req: Request) => forward(req, "/chatkit");
