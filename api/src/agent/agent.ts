// The StoreLite Assistant: an Agents SDK agent on Gemini 2.5 Flash-Lite (via
// the AI SDK adapter) whose only tools are StoreLite's MCP tools. Every write
// tool waits for the user's approval; the paused run is kept in PostgreSQL and
// resumed from its serialized RunState when the user answers.
import type { Agent, AgentInputItem, MCPServer, Model, RunState, RunToolApprovalItem, Tool } from "@openai/agents";
import type { Database } from "../db/database.ts";
import { HttpError } from "../http/errors.ts";
import { MISSING_KEY_MESSAGE, type AgentConfig } from "./config.ts";
import { credentialMeta, loadTools } from "./mcp.ts";
import { AgentSessionStore, newSessionId } from "./session-store.ts";
import { describeApproval, parseToolOutput, summariseResult, type BillPreviewSummary, type KnownItem, type RefundPreviewSummary, type ToolResult } from "./results.ts";

/**
 * The Agents SDK and the Gemini adapter (~35 MB of memory) load on the first
 * question, not in every API process: most shops run without a Gemini key.
 */
let sdkLoading: Promise<{ agents: typeof import("@openai/agents"); google: typeof import("@ai-sdk/google"); aisdk: typeof import("@openai/agents-extensions/ai-sdk")["aisdk"] }> | undefined;
const sdk = () =>
  (sdkLoading ??= (async () => {
    const [agents, google, extensions] = await Promise.all([import("@openai/agents"), import("@ai-sdk/google"), import("@openai/agents-extensions/ai-sdk")]);
    agents.setTracingDisabled(true);
    return { agents, google, aisdk: extensions.aisdk };
  })());

export const INSTRUCTIONS = `You are the StoreLite Assistant, working for a small shop (grocery, utilities, beauty, garments).
You help the owner manage the inventory (add items, update items, change stock, list items) and help sales staff create bills.

How you work:
- You reach the shop's data only through your tools. Never invent item ids, prices, stock figures or bill numbers: take them from tool results.
- Resolve item names by searching first (inventory_list_items with a search term). If exactly one active item matches, use it. If several match (e.g. two kinds of flour), list them with their unit, price and stock and ask which one is meant; do not guess.
- If nothing matches, say so and offer to add the item; ask for anything you need that the user did not give (price, unit, category). Never make up a price.
- Always state amounts with their units and money with two decimals, e.g. "10 kg at 160.00 per kg", "stock is now 35 kg", "total 370.00".
- Tools that change data (adding or updating an item, adjusting stock, creating a bill, a return or a void) ask the user for approval before they run. Call the tool with exactly what you intend to do; the user will approve or reject it. If it is rejected, nothing was changed: say so and ask what to do instead.
- When a bill cannot be created because an item is short of stock, explain which item, how much was requested and how much is available, and offer alternatives.
- After a bill is created, give its bill id, its lines and its total.
- When goods come back against a bill, read the bill with billing_get_bill, take the line id and quantity from it, get the refund from billing_refund_preview and state exactly that amount (never work a refund out yourself), then call billing_create_return. Voiding (billing_void_bill) is only for a bill of today made by mistake.
- For filters like "stock less than 5" or a category, use the list tool's filters and report what it returns.
- For questions about sales, revenue, best sellers, categories, busy hours, stock value, slow or low stock and what to reorder, use the reports_* tools, inventory_low_stock and inventory_reorder_suggestions. When the question names a period (today, yesterday, this week, last week, this month, last month), pass it as \`period\` (TODAY, YESTERDAY, THIS_WEEK, LAST_WEEK, THIS_MONTH, LAST_MONTH) rather than working out dates: the shop's calendar and time zone are applied for you. Quote the figures exactly as the tool returns them and say which period they cover.
Keep answers short and plain.`;

export interface PendingApproval {
  /** Pass back as `approval.id` to approve or reject. */
  id: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** What the assistant wants to do, in words. */
  summary: string;
}

export interface TurnResult {
  session_id: string;
  reply: string;
  pending_approvals: PendingApproval[];
  /** What the write tools did in this turn, e.g. a created bill's id and total. */
  results: ToolResult[];
}

export type TurnEvent =
  | { type: "text_delta"; delta: string }
  | { type: "tool_called"; tool: string; arguments: Record<string, unknown> }
  | { type: "tool_output"; tool: string; output: unknown }
  | { type: "approval_required"; approval: PendingApproval };

/**
 * Who a turn is for: `owner` scopes the conversation ("staff:3"), `credential`
 * (their session or API token) goes with every tool call, so the assistant can
 * never do more than that person or token.
 */
export interface Principal {
  owner: string;
  credential?: string;
}

/** The run context the assistant's tools see; mcp.ts passes the credential on as MCP request metadata. */
export interface AssistantRunContext {
  credential?: string;
}

export interface TurnInput {
  principal: Principal;
  sessionId?: string;
  message?: string;
  approvals?: { id: string; approve: boolean }[];
}

export interface AssistantDeps {
  db: Database;
  config: AgentConfig;
  /** A ready model (tests pass the SDK's ScriptedModel); otherwise Gemini from the config. */
  model?: Model;
  /** MCP servers to take the tools from; connected here, closed by close(). */
  mcpServers: () => MCPServer[] | Promise<MCPServer[]>;
  log?: (m: string) => void;
}

const YES = /^\s*(y|yes|yeah|yep|ok|okay|sure|approve[ds]?|confirm(ed)?|go ahead|do it|please do)\b[\s.!]*$/i;
const NO = /^\s*(n|no|nope|cancel|reject(ed)?|stop|don'?t|do not)\b[\s.!]*$/i;

/** Reads a plain yes/no answer to a pending approval; undefined when the message is something else. */
export function readYesNo(message: string): boolean | undefined {
  if (YES.test(message)) return true;
  if (NO.test(message)) return false;
  return undefined;
}

export class Assistant {
  readonly store: AgentSessionStore;
  #servers?: MCPServer[];
  #tools?: Promise<Tool[]>;
  #locks = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: AssistantDeps) {
    this.store = new AgentSessionStore(deps.db);
  }

  /** False when no model can be made (no Gemini key and none injected). */
  get configured() {
    return Boolean(this.deps.model || this.deps.config.apiKey);
  }

  async #model(): Promise<Model> {
    if (this.deps.model) return this.deps.model;
    if (!this.deps.config.apiKey) throw new HttpError(503, "ASSISTANT_NOT_CONFIGURED", MISSING_KEY_MESSAGE);
    const { google, aisdk } = await sdk();
    return aisdk(google.createGoogleGenerativeAI({ apiKey: this.deps.config.apiKey })(this.deps.config.modelName));
  }

  #connect(): Promise<Tool[]> {
    // A child that already exited (its close event may still be on its way) is not reused.
    if (this.#servers?.some((s) => childExited(s))) this.#forget(this.#servers);
    if (!this.#tools) {
      this.#tools = (async () => {
        const servers = await this.deps.mcpServers();
        try {
          for (const s of servers) await s.connect();
        } catch (err) {
          for (const s of servers) await s.close().catch(() => {});
          throw err;
        }
        this.#servers = servers;
        for (const server of servers) onConnectionClosed(server, () => this.#forget(servers));
        return loadTools(servers);
      })();
      this.#tools.catch(() => (this.#tools = undefined));
    }
    return this.#tools;
  }

  /** The MCP connection went away (e.g. its child process died): the next request connects again. */
  #forget(servers: MCPServer[]) {
    if (this.#servers !== servers) return;
    this.deps.log?.("assistant: the MCP tools' connection closed; the next request starts them again");
    this.#servers = undefined;
    this.#tools = undefined;
    for (const s of servers) void s.close().catch(() => {});
  }

  /** Starts the MCP tools in the background (the stdio server takes a few seconds), so the first question is not slow. */
  warmUp() {
    if (!this.configured) return;
    this.#connect().catch((err) => this.deps.log?.(`assistant: MCP tools not ready yet (${(err as Error).message}); will retry on the first question`));
  }

  async #agent() {
    let tools: Tool[];
    try {
      tools = await this.#connect();
    } catch (err) {
      this.deps.log?.(`assistant: cannot reach the MCP tools: ${(err as Error).message}`);
      throw new HttpError(503, "ASSISTANT_TOOLS_UNAVAILABLE", `The assistant cannot reach StoreLite's MCP tools: ${(err as Error).message}`);
    }
    const { agents } = await sdk();
    return new agents.Agent({ name: "StoreLite Assistant", instructions: INSTRUCTIONS, model: await this.#model(), tools });
  }

  /** Runs one turn: a new message, or answers to pending approvals (a plain "yes"/"no" message counts as one). */
  async turn(input: TurnInput, onEvent: (e: TurnEvent) => void = () => {}): Promise<TurnResult> {
    const sessionId = input.sessionId ?? newSessionId();
    if (!input.principal) throw new HttpError(401, "UNAUTHENTICATED", "Sign in first: the assistant acts for a signed-in person or an API token");
    // One turn at a time per session, so two tabs cannot resume the same paused run twice.
    const previous = this.#locks.get(sessionId) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(() => this.#turn(sessionId, input, onEvent));
    this.#locks.set(sessionId, current);
    try {
      return await current;
    } finally {
      if (this.#locks.get(sessionId) === current) this.#locks.delete(sessionId);
    }
  }

  async #turn(sessionId: string, input: TurnInput, onEvent: (e: TurnEvent) => void): Promise<TurnResult> {
    if (!this.configured) throw new HttpError(503, "ASSISTANT_NOT_CONFIGURED", MISSING_KEY_MESSAGE);
    const agent = await this.#agent();
    const session = await this.store.open(sessionId, input.principal.owner);
    const context: AssistantRunContext = { credential: input.principal.credential };
    let runInput: AgentInputItem[] | RunState<unknown, Agent<unknown, "text">>;
    /** Calls the user rejected: they did nothing, so they are not results. */
    const rejected = new Set<string>();

    if (session.pendingState) {
      const state = await (await sdk()).agents.RunState.fromString(agent, session.pendingState);
      // Interruptions already answered in an earlier request (several writes at once) stay answered.
      const pending = state.getInterruptions().filter((p) => state._context.isToolApproved({ toolName: p.name ?? "", callId: approvalId(p) }) === undefined);
      const decisions = new Map<string, { approve: boolean; message?: string }>();
      for (const a of input.approvals ?? []) {
        if (!pending.some((p) => approvalId(p) === a.id)) {
          throw new HttpError(409, "NO_SUCH_APPROVAL", `No pending approval with id ${a.id}; pending: ${pending.map(approvalId).join(", ") || "none"}`);
        }
        decisions.set(a.id, { approve: a.approve });
      }
      if (input.message !== undefined) {
        const answer = readYesNo(input.message);
        for (const p of pending) {
          if (decisions.has(approvalId(p))) continue;
          // Anything but yes/no moves on: the pending write is rejected and the model hears what the user said instead.
          decisions.set(
            approvalId(p),
            answer === undefined
              ? { approve: false, message: `The user did not approve this; nothing was changed. Instead they wrote: ${input.message}` }
              : { approve: answer },
          );
        }
      }
      for (const p of pending) {
        const d = decisions.get(approvalId(p));
        if (d?.approve === true) state.approve(p);
        else if (d?.approve === false) state.reject(p, { message: d.message ?? "The user rejected this action; nothing was changed." });
      }
      const undecided = pending.filter((p) => !decisions.has(approvalId(p)));
      if (undecided.length) {
        const waiting = await Promise.all(undecided.map((p) => this.#toPending(p, context)));
        // Some answers are still missing: keep the ones given and wait for the rest.
        if (decisions.size) await this.store.setPending(sessionId, state.toString());
        return {
          session_id: sessionId,
          reply: `Still waiting for your approval to: ${waiting.map((p) => p.summary).join("; ")}.`,
          pending_approvals: waiting,
          results: [],
        };
      }
      for (const [id, d] of decisions) if (!d.approve) rejected.add(id);
      if (!(await this.store.claimPending(sessionId, session.pendingState))) {
        throw new HttpError(409, "APPROVAL_ALREADY_ANSWERED", "This approval is being (or was) answered by another request; nothing was done twice.");
      }
      // Resumed with the rights of whoever answers now (the same owner, checked above).
      state._context.context = context;
      runInput = state;
    } else {
      if (input.approvals?.length) throw new HttpError(409, "NO_PENDING_APPROVAL", "There is nothing waiting for approval in this session.");
      if (!input.message?.trim()) throw new HttpError(400, "EMPTY_MESSAGE", "Send a non-empty `message`.");
      runInput = [...session.history, { role: "user", content: input.message }];
    }

    const { agents } = await sdk();
    const stream = await agents.run(agent, runInput, { stream: true, maxTurns: 12, ...(runInput instanceof agents.RunState ? {} : { context }) });
    // Only what this run produced: a resumed run's newItems also hold the items from before the pause.
    const messages: string[] = [];
    const results: ToolResult[] = [];
    try {
      for await (const event of stream) {
        if (event.type === "raw_model_stream_event" && event.data.type === "output_text_delta") {
          onEvent({ type: "text_delta", delta: event.data.delta });
        } else if (event.type === "run_item_stream_event") {
          if (event.name === "message_output_created" && event.item.type === "message_output_item") {
            messages.push(event.item.content);
          } else if (event.name === "tool_called" && event.item.type === "tool_call_item" && event.item.rawItem.type === "function_call") {
            onEvent({ type: "tool_called", tool: event.item.rawItem.name, arguments: parseArgs(event.item.rawItem.arguments) });
          } else if (event.name === "tool_output" && event.item.type === "tool_call_output_item") {
            if (rejected.has((event.item.rawItem as { callId?: string }).callId ?? "")) continue;
            const result = summariseResult(event.item);
            results.push(result);
            onEvent({ type: "tool_output", tool: result.tool, output: result.output });
          } else if (event.name === "tool_approval_requested" && event.item.type === "tool_approval_item") {
            onEvent({ type: "approval_required", approval: await this.#toPending(event.item, context) });
          }
        }
      }
      await stream.completed;
      if (stream.error) throw stream.error;
    } catch (err) {
      // Keep what did happen (e.g. an approved write that ran before the model failed) in the history;
      // a turn that changed nothing is forgotten, so asking again (ChatKit's retry) starts clean.
      const happened = stream.history.slice(session.history.length);
      if (happened.some((i) => i.type === "function_call_result")) await this.store.completeTurn(sessionId, happened).catch(() => {});
      throw err;
    }
    const reply = messages.join("\n").trim();

    if (stream.interruptions.length) {
      await this.store.setPending(sessionId, stream.state.toString());
      const pending = await Promise.all(stream.interruptions.map((p) => this.#toPending(p, context)));
      return {
        session_id: sessionId,
        reply: reply || `I need your approval to: ${pending.map((p) => p.summary).join("; ")}.`,
        pending_approvals: pending,
        results,
      };
    }
    await this.store.completeTurn(sessionId, stream.history.slice(session.history.length));
    return { session_id: sessionId, reply: reply || String(stream.finalOutput ?? ""), pending_approvals: [], results };
  }

  /** Pending approvals of a session, e.g. to show them again after a reload. */
  async pending(sessionId: string, principal: Principal): Promise<PendingApproval[]> {
    if (!(await this.store.exists(sessionId, principal.owner))) return [];
    const session = await this.store.open(sessionId, principal.owner);
    if (!session.pendingState) return [];
    const state = await (await sdk()).agents.RunState.fromString(await this.#agent(), session.pendingState);
    const waiting = state.getInterruptions().filter((p) => state._context.isToolApproved({ toolName: p.name ?? "", callId: approvalId(p) }) === undefined);
    return Promise.all(waiting.map((p) => this.#toPending(p, { credential: principal.credential })));
  }

  async #toPending(item: RunToolApprovalItem, context: AssistantRunContext): Promise<PendingApproval> {
    const tool = item.name ?? "";
    const args = parseArgs(item.arguments);
    const summary = await describeApproval(tool, args, (id) => this.#lookupItem(id, context), (a) => this.#previewBill(a, context), {
      refund: async ({ bill_id, items, reason, refund_payments }) => {
        const data = (await this.#read("billing_refund_preview", { bill_id, items, reason, refund_payments }, context)) as { refundPreview?: { preview?: RefundPreviewSummary } } | undefined;
        return data?.refundPreview?.preview;
      },
      bill: async (id) => ((await this.#read("billing_get_bill", { bill_id: id }, context)) as { bill?: { id: number; totalAmount: string; customerName?: string | null } | null } | undefined)?.bill ?? undefined,
    });
    return { id: approvalId(item), tool, arguments: args, summary };
  }

  /** The bill billing_create_bill would make, priced by the server through the read-only preview tool. */
  async #previewBill(args: Record<string, unknown>, context: AssistantRunContext): Promise<BillPreviewSummary | undefined> {
    const { customer_name, items, bill_discount, payments } = args;
    const data = (await this.#read("billing_preview_bill", { customer_name, items, bill_discount, payments }, context)) as
      | { previewBill?: { preview?: BillPreviewSummary }; preview?: BillPreviewSummary }
      | undefined;
    return data?.previewBill?.preview ?? data?.preview;
  }

  /** A read-only tool's data, called with the user's rights; undefined when no server has it or it refused. */
  async #read(tool: string, args: Record<string, unknown>, context: AssistantRunContext): Promise<unknown> {
    for (const server of this.#servers ?? []) {
      try {
        const content = await server.callTool(tool, args, credentialMeta(context.credential));
        if (content.isError) continue;
        return parseToolOutput(content);
      } catch {
        // Not this server's tool, or it failed: the summary falls back to the plain arguments.
      }
    }
    return undefined;
  }

  /** An item's name, unit, price and stock, read through the MCP tools like everything else (with the user's rights). */
  async #lookupItem(id: number, context: AssistantRunContext): Promise<KnownItem | undefined> {
    for (const server of this.#servers ?? []) {
      try {
        const content = await server.callTool("inventory_get_item", { item_id: id, movements: 1 }, credentialMeta(context.credential));
        if (content.isError) continue;
        const data = parseToolOutput(content) as { item?: KnownItem | null };
        if (data?.item) return data.item;
      } catch {
        // Not this server's tool, or it failed: the summary falls back to the plain arguments.
      }
    }
    return undefined;
  }

  async close() {
    // A connection still starting (warm-up) is waited for, so its child process is closed too.
    const starting = this.#tools;
    this.#tools = undefined;
    await starting?.catch(() => {});
    const servers = this.#servers;
    this.#servers = undefined;
    for (const s of servers ?? []) await s.close().catch(() => {});
  }
}

/**
 * Calls back when an SDK MCP server's client connection closes. The SDK keeps
 * the @modelcontextprotocol client as `session` (MCPServerStdio wraps it in
 * `underlying`); its onclose fires when the child process exits.
 */
function onConnectionClosed(server: MCPServer, callback: () => void) {
  type WithSession = { session?: { onclose?: () => void } | null };
  const inner = (server as unknown as { underlying?: WithSession }).underlying ?? (server as unknown as WithSession);
  const session = inner.session;
  if (!session) return;
  const previous = session.onclose;
  session.onclose = () => {
    previous?.();
    callback();
  };
}

/** True when the server's stdio child process (if it has one) is gone. */
function childExited(server: MCPServer): boolean {
  const inner = (server as unknown as { underlying?: { transport?: { pid?: number | null } | null } }).underlying;
  const pid = inner?.transport?.pid;
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function approvalId(item: RunToolApprovalItem) {
  const raw = item.rawItem as { callId?: string; id?: string };
  return raw.callId ?? raw.id ?? "";
}

function parseArgs(text: string | undefined): Record<string, unknown> {
  try {
    const v = JSON.parse(text ?? "{}");
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}


