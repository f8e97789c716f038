// The cash drawer's refusals (domain/drawer.ts) as GraphQL types: any
// mutation that moves cash (a cash refund now; sales and shifts too) lists them.
import { RegisterRequiredError, ShiftNotOpenError } from "../../domain/drawer.ts";
import { builder } from "../builder.ts";
import { ErrorInterface } from "./errors.ts";

builder.objectType(ShiftNotOpenError, {
  name: "ShiftNotOpenError",
  description: "Shifts are on and no shift is open (on the register named): open one first. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ register: t.exposeString("register", { nullable: true }) }),
});

builder.objectType(RegisterRequiredError, {
  name: "RegisterRequiredError",
  description: "Several registers have an open shift: say which register this is. Nothing was changed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ openRegisters: t.exposeStringList("openRegisters") }),
});

export const DRAWER_ERRORS = [ShiftNotOpenError, RegisterRequiredError];
