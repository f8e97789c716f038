// /agent/status: whether the API's assistant has its Gemini key (and if not, how to set it).
import { forward } from "../forward.ts";

export const dynamic = "force-dynamic";

export const GET = (req: Request) => forward(req, "/agent/status");
