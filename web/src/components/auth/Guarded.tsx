"use client";
// Each screen behind RequireAccess, as client components the (server) pages
// can render: a render prop cannot cross from a server component.
import { AgentChat } from "../../app/agent/AgentChat.tsx";
import { AccountScreen } from "../account/AccountScreen.tsx";
import { AdminScreen } from "../admin/AdminScreen.tsx";
import { BillsScreen } from "../bills/BillsScreen.tsx";
import { BillView } from "../bills/BillView.tsx";
import { PosScreen } from "../pos/PosScreen.tsx";
import { RegisterTerminal } from "../pos/RegisterTerminal.tsx";
import { StaffScreen } from "../staff/StaffScreen.tsx";
import { TokensScreen } from "../staff/TokensScreen.tsx";
import { ZReportView } from "../shifts/ZReportView.tsx";
import { ZReportList } from "../shifts/ZReportList.tsx";
import { RequireAccess } from "./RequireAccess.tsx";

export function GuardedAdmin() {
  return <RequireAccess>{(me) => <AdminScreen permissions={me.permissions} />}</RequireAccess>;
}

export function GuardedPos() {
  return (
    <RequireAccess>
      {(me) => (
        <>
          {me.session?.kind === "WEB" && me.permissions.includes("REGISTER_TERMINAL") ? <RegisterTerminal /> : null}
          {/* Keyed by who sells: another person never inherits this one's screen state. */}
          <PosScreen key={me.staff.id} staffId={me.staff.id} terminalName={me.session?.kind === "TERMINAL" ? me.session.terminalName : null} />
        </>
      )}
    </RequireAccess>
  );
}

export function GuardedBills() {
  return <RequireAccess>{() => <BillsScreen />}</RequireAccess>;
}

export function GuardedBill({ id }: { id: number }) {
  return <RequireAccess>{(me) => <BillView id={id} permissions={me.permissions} />}</RequireAccess>;
}

export function GuardedZReport({ number }: { number: number }) {
  return <RequireAccess>{() => <ZReportView number={number} />}</RequireAccess>;
}

export function GuardedZReportList() {
  return <RequireAccess>{() => <ZReportList />}</RequireAccess>;
}

export function GuardedAgent(props: Parameters<typeof AgentChat>[0]) {
  return <RequireAccess>{() => <AgentChat {...props} />}</RequireAccess>;
}

export function GuardedStaff() {
  return <RequireAccess>{(me) => <StaffScreen myId={me.staff.id} />}</RequireAccess>;
}

export function GuardedTokens() {
  return <RequireAccess>{(me) => <TokensScreen permissions={me.permissions} />}</RequireAccess>;
}

export function GuardedAccount() {
  return <RequireAccess>{(me) => <AccountScreen me={me.staff} />}</RequireAccess>;
}
