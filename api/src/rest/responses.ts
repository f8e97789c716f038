// Response declarations shared by several operations.
import type { HeaderSpec, ResponseSpec } from "./operation.ts";
import { ErrorResponse, ValidationErrorResponse } from "./schemas.ts";

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
