// Expected failures as GraphQL types: every one implements `Error { message code }`,
// so a client can always select `... on Error { message }` and add detail as needed.
import { NotAuthorizedError } from "../../domain/access.ts";
import {
  DomainError,
  InvalidCredentialsError,
  LastOwnerError,
  SetupUnavailableError,
  TooManyAttemptsError,
  IdempotencyKeyReusedError,
  InsufficientStockError,
  ItemInactiveError,
  NotFoundError,
  ValidationError,
  type FieldError,
  type Shortage,
} from "../../domain/errors.ts";
import { builder } from "../builder.ts";

export const ErrorInterface = builder.interfaceRef<DomainError>("Error").implement({
  description: "An expected failure; the message says what is wrong in words a person can act on.",
  fields: (t) => ({
    message: t.exposeString("message"),
    code: t.exposeString("code"),
  }),
});

const FieldErrorRef = builder.objectRef<FieldError>("FieldError").implement({
  description: "One problem with one input field.",
  fields: (t) => ({
    path: t.stringList({ description: 'Where in the input, e.g. ["lines", "2", "quantity"].', resolve: (e) => e.path.map(String) }),
    message: t.exposeString("message"),
    code: t.exposeString("code"),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "The input was rejected; fieldErrors names every field that is wrong.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (e) => e.fieldErrors }) }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ entity: t.exposeString("entity"), id: t.exposeInt("id") }),
});

builder.objectType(ItemInactiveError, {
  name: "ItemInactiveError",
  description: "The item is deactivated and cannot be sold.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ itemId: t.exposeInt("itemId"), itemName: t.exposeString("itemName") }),
});

const ShortageRef = builder.objectRef<Shortage>("Shortage").implement({
  fields: (t) => ({
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName"),
    unit: t.exposeString("unit"),
    requested: t.expose("requested", { type: "Quantity" }),
    available: t.expose("available", { type: "Quantity" }),
  }),
});

builder.objectType(InsufficientStockError, {
  name: "InsufficientStockError",
  description: "Not enough stock. The fields describe the first short item; shortages lists all of them.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    itemId: t.exposeInt("itemId"),
    itemName: t.exposeString("itemName"),
    unit: t.exposeString("unit"),
    requested: t.expose("requested", { type: "Quantity" }),
    available: t.expose("available", { type: "Quantity" }),
    shortages: t.field({ type: [ShortageRef], resolve: (e) => e.shortages }),
  }),
});

builder.objectType(IdempotencyKeyReusedError, {
  name: "IdempotencyKeyReusedError",
  description: "The idempotency key was already used for a different bill request.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ idempotencyKey: t.exposeString("idempotencyKey"), billId: t.exposeInt("billId") }),
});

builder.objectType(NotAuthorizedError, {
  name: "NotAuthorizedError",
  description: "Signed in, but your role (or the token's scopes) lacks the permission named here. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ permission: t.exposeString("permission") }),
});

builder.objectType(InvalidCredentialsError, {
  name: "InvalidCredentialsError",
  description: "Wrong username, password or PIN.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(TooManyAttemptsError, {
  name: "TooManyAttemptsError",
  description: "Too many failed attempts for this account or from this address; try again after retryAfterSeconds.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt("retryAfterSeconds") }),
});

builder.objectType(LastOwnerError, {
  name: "LastOwnerError",
  description: "The shop must keep at least one active owner.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ staffId: t.exposeInt("staffId") }),
});

builder.objectType(SetupUnavailableError, {
  name: "SetupUnavailableError",
  description: "The owner setup link is wrong or used, or the shop already has staff.",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});
