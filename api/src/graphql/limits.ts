// Validation rules that refuse abusive queries before they run: too deep, or
// too costly (aliases and list sizes multiply the work a query asks for).
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

/** Lists without a literal `first` are assumed to return this many rows. */
const ASSUMED_LIST_SIZE = 50;

export function queryLimitRules(limits: QueryLimits = defaultLimits): ValidationRule[] {
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
