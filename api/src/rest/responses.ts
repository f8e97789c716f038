// Response declarations shared by several operations.
import type { HeaderSpec, ResponseSpec } from "./operation.ts";
import { ErrorResponse, NotAuthorizedResponse, TooManyAttemptsResponse, ValidationErrorResponse } from "./schemas.ts";

/** Failures every operation that needs a permission can give. */
export const authFailures: Record<number, ResponseSpec> = {
  401: {
    description: "No valid credentials (UNAUTHENTICATED): send `Authorization: Bearer <API token>`, or sign in. Sent with WWW-Authenticate.",
    schema: ErrorResponse,
    headers: { "WWW-Authenticate": { description: "How to authenticate.", example: 'Bearer realm="storelite"' } },
  },
  403: { description: "Signed in, but the role or token scopes lack the permission named in `permission` (NOT_AUTHORIZED).", schema: NotAuthorizedResponse },
};

export const tooManyAttempts: ResponseSpec = {
  description: "Too many failed sign-ins (TOO_MANY_ATTEMPTS); Retry-After says when to try again.",
  schema: TooManyAttemptsResponse,
  headers: { "Retry-After": { description: "Seconds to wait.", example: "600" } },
};

export const notFound = (what: string): ResponseSpec => ({ description: `No ${what} with this id (NOT_FOUND).`, schema: ErrorResponse });

export const invalid = (what = "Some fields are invalid"): ResponseSpec => ({
  description: `${what} (VALIDATION_FAILED); field_errors names each field.`,
  schema: ValidationErrorResponse,
});

export const location = (example: string): Record<string, HeaderSpec> => ({
  Location: { description: "Where the created resource lives.", example },
});

export const nextPage: Record<string, HeaderSpec> = {
  Link: { description: 'The next page, when there is one: `</items?after=...>; rel="next"`.' },
};
