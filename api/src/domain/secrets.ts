// Secrets at rest: passwords and PINs as argon2id (@node-rs/argon2); session,
// API and setup tokens are long random strings, so a sha256 of them is enough
// to store and look up, and comparisons run in constant time.
import crypto from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum). */
export function hashSecret(secret: string): Promise<string> {
  return argon2Hash(secret);
}

export async function verifySecret(hash: string, secret: string): Promise<boolean> {
  try {
    return await argon2Verify(hash, secret);
  } catch {
    return false; // a malformed stored hash never matches
  }
}

// Checked against when the username does not exist, so both cases take as long.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= argon2Hash(crypto.randomBytes(16).toString("hex"));
  return dummy;
}

/** A new random token with a readable kind prefix: sls_ session, slt_ API token, slsetup_ owner setup. */
export function newToken(prefix: "sls" | "slt" | "slsetup"): string {
  return `${prefix}_${crypto.randomBytes(32).toString("base64url")}`;
}

export function tokenHash(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time equality of two hex sha256 hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && crypto.timingSafeEqual(x, y);
}
