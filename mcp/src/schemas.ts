// GraphQL types → zod schemas for the MCP tools: an operation's variables
// become the tool's input schema (keys in snake_case, descriptions from the
// GraphQL schema), its selection set becomes the tool's output schema.
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  Kind,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  isSpecifiedScalarType,
  typeFromAST,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLEnumType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import { z } from "zod";
import type { LoadedOperation } from "./operations.ts";

/** unitPrice → unit_price, itemId → item_id; snake_case stays as it is. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/** Custom scalars whose inputs are decimals: strings ("1.5") or JSON numbers. */
const DECIMAL_SCALARS = new Set(["Money", "Quantity"]);

/** Sentences joined: "Fractional for kg, e.g. 1.5" + "A quantity…" → "Fractional for kg, e.g. 1.5. A quantity…". */
function join(...parts: (string | null | undefined)[]) {
  return parts
    .map((p) => p?.trim())
    .filter((p): p is string => !!p)
    .map((p) => (/[.!?)]$/.test(p) ? p : `${p}.`))
    .join(" ");
}

function describe<T extends z.ZodType>(schema: T, text: string | null | undefined): T {
  return text ? (schema.describe(text) as T) : schema;
}

function enumSchema(type: GraphQLEnumType) {
  const values = type.getValues();
  const names = values.map((v) => v.name) as [string, ...string[]];
  const detail = values.filter((v) => v.description).map((v) => `${v.name}: ${v.description}`);
  return { schema: z.enum(names), description: join(type.description, detail.join("; ")) };
}

function scalarInput(type: GraphQLScalarType): z.ZodType {
  if (type === GraphQLInt) return z.int32(); // GraphQL's Int is 32-bit
  if (type === GraphQLFloat) return z.number();
  if (type === GraphQLBoolean) return z.boolean();
  if (type === GraphQLString) return z.string();
  if (type === GraphQLID) return z.union([z.string(), z.number().int()]);
  if (DECIMAL_SCALARS.has(type.name)) return z.union([z.string(), z.number()]);
  return z.string();
}

/**
 * Input schemas from GraphQL input types. Keys of input objects are snake_case;
 * `toGraphQL` turns validated arguments back into GraphQL variable values.
 */
class InputConverter {
  /** Per input type: snake_case key → GraphQL field name. */
  private readonly renames = new Map<string, Map<string, string>>();
  private readonly building = new Set<string>();

  /** A zod schema for a GraphQL input type; nullable types become optional. */
  schemaFor(type: GraphQLInputType, description?: string | null): z.ZodType {
    if (isNonNullType(type)) return this.nonNull(type.ofType, description);
    return this.nonNull(type, description).optional();
  }

  private nonNull(type: GraphQLInputType, description?: string | null): z.ZodType {
    if (isNonNullType(type)) return this.nonNull(type.ofType, description);
    if (isListType(type)) return describe(z.array(this.item(type.ofType)), description);
    if (isEnumType(type)) {
      const e = enumSchema(type);
      return describe(e.schema, join(description, e.description));
    }
    if (isScalarType(type)) {
      // A custom scalar's description says how to write it (e.g. decimals as strings).
      const builtIn = isSpecifiedScalarType(type);
      return describe(scalarInput(type), join(description, builtIn ? "" : type.description));
    }
    if (isInputObjectType(type)) {
      if (this.building.has(type.name)) throw new Error(`Input type ${type.name} refers to itself; tools cannot take recursive input.`);
      this.building.add(type.name);
      const renames = new Map<string, string>();
      const shape: Record<string, z.ZodType> = {};
      for (const field of Object.values(type.getFields())) {
        const key = snakeCase(field.name);
        if (renames.has(key)) throw new Error(`Input type ${type.name}: fields ${renames.get(key)} and ${field.name} are both ${key}`);
        renames.set(key, field.name);
        let schema = this.schemaFor(field.type, field.description);
        if (field.defaultValue !== undefined) schema = schema.default(field.defaultValue as never);
        shape[key] = schema;
      }
      this.building.delete(type.name);
      this.renames.set(type.name, renames);
      return describe(z.strictObject(shape), join(description, type.description));
    }
    return z.unknown();
  }

  /** List items: a nullable item may be null (it cannot be left out). */
  private item(type: GraphQLInputType): z.ZodType {
    return isNonNullType(type) ? this.nonNull(type.ofType) : this.nonNull(type).nullable();
  }

  toGraphQL(type: GraphQLInputType, value: unknown): unknown {
    if (value === null || value === undefined) return value;
    if (isNonNullType(type)) return this.toGraphQL(type.ofType, value);
    if (isListType(type)) return Array.isArray(value) ? value.map((v) => this.toGraphQL(type.ofType, v)) : this.toGraphQL(type.ofType, value);
    if (isInputObjectType(type) && typeof value === "object") {
      const renames = this.renames.get(type.name);
      const fields = type.getFields();
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const name = renames?.get(key) ?? key;
        if (v !== undefined) out[name] = fields[name] ? this.toGraphQL(fields[name].type, v) : v;
      }
      return out;
    }
    return value;
  }
}

export interface ToolInput {
  schema: z.ZodObject;
  /** Tool arguments (snake_case) → GraphQL variables. */
  toVariables(args: Record<string, unknown>): Record<string, unknown>;
  /** snake_case argument name → GraphQL variable name. */
  argumentNames: Map<string, string>;
}

/** The tool's input schema: one argument per variable of the operation. */
export function toolInput(op: LoadedOperation, schema: GraphQLSchema): ToolInput {
  const converter = new InputConverter();
  const shape: Record<string, z.ZodType> = {};
  const variables: { key: string; name: string; type: GraphQLInputType }[] = [];
  const argumentNames = new Map<string, string>();
  for (const def of op.definition.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    if (!type) throw new Error(`${op.name}: unknown type for $${name}`);
    const key = snakeCase(name);
    if (argumentNames.has(key)) throw new Error(`${op.name}: variables ${argumentNames.get(key)} and ${name} are both ${key}`);
    argumentNames.set(key, name);
    let field = converter.schemaFor(type, op.variableDescriptions.get(name));
    if (def.defaultValue) {
      const value = valueFromAST(def.defaultValue, type);
      if (value !== undefined) field = field.default(value as never);
    }
    shape[key] = field;
    variables.push({ key, name, type });
  }
  return {
    schema: z.strictObject(shape),
    argumentNames,
    toVariables(args) {
      const out: Record<string, unknown> = {};
      for (const v of variables) {
        if (args[v.key] !== undefined) out[v.name] = converter.toGraphQL(v.type, args[v.key]);
      }
      return out;
    },
  };
}

// ---- output -----------------------------------------------------------------

interface Collected {
  nodes: FieldNode[];
  /** Under @include/@skip: may be missing from the result. */
  conditional: boolean;
}

/** The tool's output schema: the exact shape of the operation's `data`. */
export function toolOutput(op: LoadedOperation, schema: GraphQLSchema): z.ZodObject {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of op.document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const root = op.kind === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) throw new Error(`${op.name}: the schema has no ${op.kind} type`);

  const applies = (type: GraphQLObjectType, condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const cond = schema.getType(condition);
    return !!cond && isAbstractType(cond) && schema.isSubType(cond, type);
  };

  const collect = (type: GraphQLObjectType, set: SelectionSetNode, conditional: boolean, into: Map<string, Collected>) => {
    for (const sel of set.selections as readonly SelectionNode[]) {
      const cond = conditional || !!sel.directives?.some((d) => d.name.value === "include" || d.name.value === "skip");
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const seen = into.get(key);
        if (seen) {
          seen.nodes.push(sel);
          seen.conditional &&= cond;
        } else into.set(key, { nodes: [sel], conditional: cond });
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (applies(type, sel.typeCondition?.name.value)) collect(type, sel.selectionSet, cond, into);
      } else {
        const frag = fragments.get(sel.name.value);
        if (frag && applies(type, frag.typeCondition.name.value)) collect(type, frag.selectionSet, cond, into);
      }
    }
    return into;
  };

  const objectSchema = (type: GraphQLObjectType, sets: SelectionSetNode[]): z.ZodObject => {
    const fields = new Map<string, Collected>();
    for (const set of sets) collect(type, set, false, fields);
    const shape: Record<string, z.ZodType> = {};
    for (const [key, { nodes, conditional }] of fields) {
      const name = nodes[0]!.name.value;
      let field: z.ZodType;
      if (name === "__typename") field = z.literal(type.name);
      else {
        const def = type.getFields()[name];
        if (!def) throw new Error(`${op.name}: ${type.name} has no field ${name}`);
        const subsets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
        field = describe(outputSchema(def.type, subsets), def.description);
      }
      shape[key] = conditional ? field.optional() : field;
    }
    return z.object(shape);
  };

  const compositeSchema = (type: GraphQLCompositeType, sets: SelectionSetNode[]): z.ZodType => {
    const members = isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
    const objects = members.map((m) => objectSchema(m, sets));
    if (objects.length === 1) return objects[0]!;
    return z.union(objects as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);
  };

  const outputSchema = (type: GraphQLOutputType, sets: SelectionSetNode[]): z.ZodType => {
    if (isNonNullType(type)) return nonNull(type.ofType, sets);
    return nonNull(type, sets).nullable();
  };

  const nonNull = (type: GraphQLOutputType, sets: SelectionSetNode[]): z.ZodType => {
    if (isNonNullType(type)) return nonNull(type.ofType, sets);
    if (isListType(type)) return z.array(outputSchema(type.ofType, sets));
    if (isEnumType(type)) return enumSchema(type).schema;
    if (isScalarType(type)) {
      if (type === GraphQLInt || type === GraphQLFloat) return z.number();
      if (type === GraphQLBoolean) return z.boolean();
      if (type === GraphQLString || type === GraphQLID) return z.string();
      // Money, Quantity and DateTime are written as strings ("160.00", "1.500", ISO dates).
      return z.string();
    }
    if (isCompositeType(type)) return compositeSchema(type, sets);
    return z.unknown();
  };

  return objectSchema(root, [op.definition.selectionSet]);
}
