// HTTP-level failures (bad JSON, oversized body, unknown route) with the status
// they answer with. Domain errors are mapped by each front door.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
