// Expected business failures, as typed classes every front door can map:
// GraphQL turns them into union members, REST into status codes, MCP into
// isError results. Anything else thrown is a bug and is masked at the edge.
import type { Decimal } from "./money.ts";

export interface FieldError {
  /** Where in the input, e.g. ["lines", 2, "quantity"]. */
  path: (string | number)[];
  message: string;
  code: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends DomainError {
  readonly code = "VALIDATION_FAILED";
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => (e.path.length ? `${e.path.join(".")}: ${e.message}` : e.message)).join("; "));
  }
  static one(path: FieldError["path"], message: string, code = "INVALID") {
    return new ValidationError([{ path, message, code }]);
  }
}

export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(
    readonly entity: "Item" | "Bill" | "Return" | "Import" | "Staff" | "ApiToken" | "Session" | "TaxRate" | "AlertChannel" | "Shift" | "ZReport",
    readonly id: number,
  ) {
    super(`${entity} ${id} does not exist`);
  }
}

export class ItemInactiveError extends DomainError {
  readonly code = "ITEM_INACTIVE";
  constructor(
    readonly itemId: number,
    readonly itemName: string,
  ) {
    super(`${itemName} (item ${itemId}) is deactivated and cannot be sold`);
  }
}

export interface Shortage {
  itemId: number;
  itemName: string;
  unit: string;
  requested: Decimal;
  available: Decimal;
}

/** Not enough stock for one or more lines; the first shortage is also on the error itself. */
export class InsufficientStockError extends DomainError {
  readonly code = "INSUFFICIENT_STOCK";
  readonly itemId: number;
  readonly itemName: string;
  readonly unit: string;
  readonly requested: Decimal;
  readonly available: Decimal;
  constructor(readonly shortages: [Shortage, ...Shortage[]]) {
    const describe = (s: Shortage) =>
      `${s.itemName} (item ${s.itemId}): requested ${s.requested.toFixed(3)} ${s.unit}, only ${s.available.toFixed(3)} ${s.unit} available`;
    super(`Not enough stock: ${shortages.map(describe).join("; ")}`);
    const first = shortages[0];
    this.itemId = first.itemId;
    this.itemName = first.itemName;
    this.unit = first.unit;
    this.requested = first.requested;
    this.available = first.available;
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = "IDEMPOTENCY_KEY_REUSED";
  constructor(
    readonly idempotencyKey: string,
    readonly billId: number,
  ) {
    super(`Idempotency key "${idempotencyKey}" was already used for bill ${billId} with a different request`);
  }
}

/** Wrong username, password or PIN (deliberately not saying which). */
export class InvalidCredentialsError extends DomainError {
  readonly code = "INVALID_CREDENTIALS";
  constructor(message = "Wrong username or password") {
    super(message);
  }
}

/** Too many failed sign-ins for an account or from one address: REST/HTTP 429. */
export class TooManyAttemptsError extends DomainError {
  readonly code = "TOO_MANY_ATTEMPTS";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The change would leave the shop without an active owner. */
export class LastOwnerError extends DomainError {
  readonly code = "LAST_OWNER";
  constructor(readonly staffId: number) {
    super("This is the last active owner: make another staff member an owner first");
  }
}

/** The owner setup link is wrong, already used, or the shop already has staff. */
export class SetupUnavailableError extends DomainError {
  readonly code = "SETUP_UNAVAILABLE";
}

/**
 * The action needs a permission this person lacks, but a manager may approve
 * it on the spot with their username and PIN (or the approval sent did not
 * count: the message says why). Nothing was changed.
 */
export class ApprovalRequiredError extends DomainError {
  readonly code = "APPROVAL_REQUIRED";
  constructor(
    readonly permission: string,
    message: string,
  ) {
    super(message);
  }
}

/** Collects field errors so one response can name every problem in the input. */
export class Problems {
  readonly list: FieldError[] = [];
  add(path: FieldError["path"], message: string, code = "INVALID") {
    this.list.push({ path, message, code });
  }
  /** Runs a parser; on ValidationError records its field errors and returns undefined. */
  take<T>(parse: () => T): T | undefined {
    try {
      return parse();
    } catch (err) {
      if (err instanceof ValidationError) {
        this.list.push(...err.fieldErrors);
        return undefined;
      }
      throw err;
    }
  }
  throwIfAny() {
    if (this.list.length) throw new ValidationError(this.list);
  }
}
