// Validation rules that refuse abusive queries before they run. GraphQL Armor
// (@escape.tech/graphql-armor) limits aliases and directives, and hides "Did you
// mean …" field suggestions when introspection is off. Tokens are limited by
// graphql-js's own parser (`maxTokens`, Apollo's parseOptions): Armor's token plugin
// throws inside Apollo's parsing hook, which Apollo 5 answers with a 500. Depth and cost
// stay hand-written, in one walk, because Armor cannot express either rule:
// - cost: Armor's costLimit charges a fixed price per field and per nesting level;
//   it has no notion of a list whose size is its `first` argument, and that is the
//   whole point here (500 aliases × items(first: 200) is 100,000 rows);
// - depth: Armor's maxDepth either counts introspection (the standard introspection
//   query that GraphiQL sends is 15 deep through its `ofType` chain, so the IDE would
//   break under a limit of 12) or skips it entirely (so a `__schema { types { fields
//   { type { fields … } } } }` bomb would pass). Ours counts introspection but lets
//   `ofType`, a single link down a type's wrappers, add no depth.
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { ApolloServerPlugin } from "@apollo/server";
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

export const defaultLimits: QueryLimits = { maxDepth: 12, maxCost: 20_000 };

/** Far above anything StoreLite's own operations or the IDE send. */
export const ARMOR_LIMITS = { maxAliases: 30, maxDirectives: 50, maxTokens: 10_000 };

/** Armor's rejection, reported with a message that says what to change (its own says "Syntax Error"). */
const reject = (message: string) => ({
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null) => ctx?.reportError(new GraphQLError(message))],
});

/** GraphQL Armor for Apollo: validation rules, and the plugin that masks field suggestions. */
export function armorProtection(opts: { introspection: boolean }): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin[] } {
  const protection = new ApolloArmor({
    costLimit: { enabled: false }, // see above: ours counts lists by `first`
    maxDepth: { enabled: false }, // see above: ours lets ofType chains through
    maxAliases: { n: ARMOR_LIMITS.maxAliases, ...reject(`Too many aliases: at most ${ARMOR_LIMITS.maxAliases} are allowed in one query.`) },
    maxDirectives: { n: ARMOR_LIMITS.maxDirectives, ...reject(`Too many directives: at most ${ARMOR_LIMITS.maxDirectives} are allowed in one query.`) },
    maxTokens: { enabled: false }, // graphql-js's parser does it (parseOptions.maxTokens)
    // Suggestions would let someone map the schema when introspection is off.
    blockFieldSuggestion: { enabled: !opts.introspection },
  }).protect();
  return { validationRules: protection.validationRules as ValidationRule[], plugins: protection.plugins as ApolloServerPlugin[] };
}

/** Lists without a literal `first` are assumed to return this many rows. */
const ASSUMED_LIST_SIZE = 50;

/** Every validation-time limit: ours (depth, cost) first, then Armor's (aliases, directives). */
export function queryLimitRules(limits: QueryLimits = defaultLimits): ValidationRule[] {
  return [...depthAndCostRules(limits), ...armorProtection({ introspection: true }).validationRules];
}

/** Depth (ofType chains free) and cost (lists counted by `first`): what Armor cannot express. */
export function depthAndCostRules(limits: QueryLimits = defaultLimits): ValidationRule[] {
  return [
    (context: ValidationContext): ASTVisitor => ({
      OperationDefinition(op) {
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const def of context.getDocument().definitions) {
          if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
        }
        let maxSeenDepth = 0;
        // Cost: every field costs 1 × the sizes of the lists it is nested in.
        const walk = (set: SelectionSetNode, depth: number, multiplier: number, seen: Set<string>): number => {
          maxSeenDepth = Math.max(maxSeenDepth, depth);
          if (maxSeenDepth > limits.maxDepth) return 0;
          let cost = 0;
          for (const sel of set.selections) {
            if (sel.kind === Kind.FIELD) {
              cost += multiplier;
              if (sel.selectionSet) {
                const first = sel.arguments?.find((a) => a.name.value === "first");
                const size =
                  first?.value.kind === Kind.INT ? Number(first.value.value) : first || isListLike(sel.name.value) ? ASSUMED_LIST_SIZE : 1;
                // __Type.ofType is a single link down a type's wrappers (the standard
                // introspection query nests it ~8 deep): it costs but adds no depth.
                const next = sel.name.value === "ofType" ? depth : depth + 1;
                cost += walk(sel.selectionSet, next, multiplier * Math.max(1, size), seen);
              }
            } else if (sel.kind === Kind.INLINE_FRAGMENT) {
              cost += walk(sel.selectionSet, depth, multiplier, seen);
            } else {
              const frag = fragments.get(sel.name.value);
              if (frag && !seen.has(frag.name.value)) {
                cost += walk(frag.selectionSet, depth, multiplier, new Set(seen).add(frag.name.value));
              }
            }
            if (cost > limits.maxCost) return cost;
          }
          return cost;
        };
        const cost = walk(op.selectionSet, 1, 1, new Set());
        if (maxSeenDepth > limits.maxDepth) {
          context.reportError(new GraphQLError(`Query is too deep: at most ${limits.maxDepth} levels are allowed.`, { nodes: [op] }));
        } else if (cost > limits.maxCost) {
          context.reportError(
            new GraphQLError(`Query is too expensive (cost over ${limits.maxCost}); ask for fewer fields, aliases or rows.`, { nodes: [op] }),
          );
        }
      },
    }),
  ];
}

// Lists that grow with the data; connections count their rows once, through `first`.
const LIST_FIELDS = new Set(["items", "bills", "lines", "movements", "shortages", "categories"]);
function isListLike(fieldName: string) {
  return LIST_FIELDS.has(fieldName);
}
