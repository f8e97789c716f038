// GET /items/export.csv: the catalogue as CSV, from the API.
import { forwardRest } from "../../rest-forward.ts";

export const dynamic = "force-dynamic";
export const GET = (req: Request) => forwardRest(req, "/items/export.csv");
