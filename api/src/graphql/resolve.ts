// Small helpers resolvers share.
import { NotFoundError } from "../domain/errors.ts";

/** For `item(id)` style lookups: a missing row is null, not an error. */
export async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
