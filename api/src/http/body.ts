// Reading request bodies with a hard size limit, and JSON with clear errors.
import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.ts";

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpError(413, "PAYLOAD_TOO_LARGE", `Request body is larger than the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, "PAYLOAD_TOO_LARGE", `Request body is larger than the ${limit}-byte limit`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw new HttpError(400, "EMPTY_BODY", "Request body is empty; send JSON");
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw new HttpError(400, "MALFORMED_JSON", `Request body is not valid JSON: ${(err as Error).message}`);
  }
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return parseJson(await readBody(req, limit));
}
