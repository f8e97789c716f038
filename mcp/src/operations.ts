// Loads the named GraphQL operations in operations/*.graphql — the contract the
// MCP tools are made of — and checks each one against the schema up front, so a
// broken operation file stops the server at start-up instead of at a tool call.
import fs from "node:fs";
import path from "node:path";
import {
  Kind,
  TokenKind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isInputObjectType,
  parse,
  print,
  specifiedRules,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type Location,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from "graphql";

export const operationsDir = path.resolve(import.meta.dirname, "../../operations");

export interface LoadedOperation {
  /** The operation's name, which is also the tool's name. */
  name: string;
  kind: "query" | "mutation";
  /** From the `# ...` comment right above the operation. */
  description: string;
  /** The operation alone (plus the fragments it uses), with __typename added on abstract types. */
  document: DocumentNode;
  /** `document` as text, for executors that send it over the wire. */
  source: string;
  definition: OperationDefinitionNode;
  /** Per variable: its own `# ...` comment, else the description of where it is used. */
  variableDescriptions: Map<string, string>;
  /** Where each variable lands in the root field's arguments, e.g. lines → ["input", "lines"]. */
  variableTargets: Map<string, string[]>;
  file: string;
}

/** `# a` / `# b` comment lines directly above a token, joined as one text. */
export function commentAbove(loc: Location | undefined): string {
  const lines: string[] = [];
  let token = loc?.startToken.prev;
  while (token && token.kind === TokenKind.COMMENT) {
    lines.unshift((token.value ?? "").trim());
    token = token.prev;
  }
  return lines.join("\n").trim();
}

/** Adds `__typename` to every selection on a union or interface, so results say which member they are. */
function addTypenameToAbstractSelections(doc: DocumentNode, schema: GraphQLSchema): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } };
  return visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node: SelectionSetNode): SelectionSetNode | undefined {
          const type = typeInfo.getType();
          if (!type || !isAbstractType(getNamedType(type))) return undefined;
          const has = node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "__typename" && !s.alias);
          return has ? undefined : { ...node, selections: [typename, ...node.selections] };
        },
      },
    }),
  );
}

function fragmentsUsed(selectionSet: SelectionSetNode, all: Map<string, FragmentDefinitionNode>, found = new Map<string, FragmentDefinitionNode>()) {
  visit(selectionSet, {
    FragmentSpread(node) {
      const frag = all.get(node.name.value);
      if (frag && !found.has(frag.name.value)) {
        found.set(frag.name.value, frag);
        fragmentsUsed(frag.selectionSet, all, found);
      }
    },
  });
  return found;
}

/**
 * For each variable, where it is used: the description of that argument or
 * input field, and its path from the root field (["input", "unitPrice"]).
 */
function variableUsages(op: OperationDefinitionNode, schema: GraphQLSchema) {
  const descriptions = new Map<string, string>();
  const targets = new Map<string, string[]>();
  const typeInfo = new TypeInfo(schema);
  const walkValue = (value: ValueNode, type: GraphQLInputType | undefined, description: string | null | undefined, at: string[]) => {
    if (value.kind === Kind.VARIABLE) {
      if (description && !descriptions.has(value.name.value)) descriptions.set(value.name.value, description);
      if (!targets.has(value.name.value)) targets.set(value.name.value, at);
      return;
    }
    const named = type ? getNamedType(type) : undefined;
    if (value.kind === Kind.OBJECT && isInputObjectType(named)) {
      for (const field of value.fields) {
        const def = named.getFields()[field.name.value];
        walkValue(field.value, def?.type, def?.description, [...at, field.name.value]);
      }
    } else if (value.kind === Kind.LIST) {
      value.values.forEach((v, i) => walkValue(v, type, description, [...at, String(i)]));
    }
  };
  let depth = 0;
  visit(
    op,
    visitWithTypeInfo(typeInfo, {
      Field: { enter: () => void depth++, leave: () => void depth-- },
      Argument(node: ArgumentNode) {
        const arg = typeInfo.getArgument();
        // Paths are kept for root fields only: that is where the API reports input errors.
        walkValue(node.value, arg?.type, arg?.description, depth === 1 ? [node.name.value] : []);
        return false;
      },
    }),
  );
  return { descriptions, targets };
}

/**
 * Reads every `*.graphql` file in `dir`: each must hold one named query or
 * mutation (fragments may sit beside it or in other files), named like its file.
 */
export function loadOperations(schema: GraphQLSchema, dir = operationsDir, rules: readonly ValidationRule[] = []): LoadedOperation[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".graphql"))
    .sort();
  const parsed = files.map((f) => {
    const file = path.join(dir, f);
    return { file, doc: parse(fs.readFileSync(file, "utf8")) };
  });
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { doc } of parsed) {
    for (const def of doc.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }

  const operations: LoadedOperation[] = [];
  const problems: string[] = [];
  for (const { file, doc } of parsed) {
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (!ops.length) continue; // a file of shared fragments
    const op = ops[0]!;
    const base = path.basename(file, ".graphql");
    if (ops.length > 1) problems.push(`${base}: holds ${ops.length} operations; keep one per file`);
    if (!op.name) {
      problems.push(`${base}: the operation needs a name (the tool's name)`);
      continue;
    }
    const name = op.name.value;
    if (name !== base) problems.push(`${base}.graphql: the operation is named ${name}; name the file ${name}.graphql`);
    if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name)) problems.push(`${name}: tool names are snake_case, e.g. inventory_list_items`);
    if (op.operation === "subscription") {
      problems.push(`${name}: subscriptions cannot be tools`);
      continue;
    }
    const used = [...fragmentsUsed(op.selectionSet, fragments).values()];
    let document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op, ...used] };
    const errors = validate(schema, document, [...specifiedRules, ...rules]);
    if (errors.length) {
      problems.push(`${name}: ${errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    document = addTypenameToAbstractSelections(document, schema);
    const definition = document.definitions[0] as OperationDefinitionNode;
    const description = commentAbove(op.loc);
    if (!description) problems.push(`${name}: start the file with a "# ..." comment saying what the tool does`);
    const { descriptions, targets } = variableUsages(definition, schema);
    for (const v of op.variableDefinitions ?? []) {
      const own = commentAbove(v.loc);
      if (own) descriptions.set(v.variable.name.value, own);
    }
    operations.push({
      name,
      kind: op.operation,
      description,
      document,
      source: print(document),
      definition,
      variableDescriptions: descriptions,
      variableTargets: targets,
      file,
    });
  }
  if (problems.length) throw new Error(`Invalid operations in ${dir}:\n  ${problems.join("\n  ")}`);
  return operations;
}
