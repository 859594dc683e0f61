import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLError, ValidationContext, ValidationRule } from "graphql";
import { LimitCode, QueryLimitError } from "./errors.js";
import type { LimitSettings } from "./settings.js";

/**
 * graphql-armor's depth, alias, token and directive limits, with our error
 * codes (see `LimitCode`) and messages that state the limit ("Query depth
 * limit of 12 exceeded, found 13."). Armor refuses only a count greater than
 * its limit, so an operation exactly at a limit runs. Depth: a top-level field
 * is 1, its fields 2, fragments add nothing, `__schema` counts 0. Aliases and
 * directives: counted over the whole operation, fragments included
 * (`__typename` aliases are free). Tokens: counted by lexing the document
 * before Apollo parses it (comments and commas are not tokens).
 * Armor's own cost limit stays off: `estimateCost` knows our connections.
 * Field suggestions ("Did you mean") are hidden in production, where they
 * would map the schema for a stranger.
 */
export function armorFor(
  settings: LimitSettings,
  { production }: { production: boolean },
): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin[] } {
  // Armor's default handler reports BAD_USER_INPUT; ours reports our code,
  // or throws at parse time, where there is no validation context to report to.
  const refuse = (code: LimitCode) => ({
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refusal = new QueryLimitError(error.message.replace(/^Syntax Error: /, ""), code);
        if (!context) throw refusal;
        context.reportError(refusal);
      },
    ],
  });
  const armor = new ApolloArmor({
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production, mask: "" },
    // Flattened, fragments add no depth of their own: only fields count.
    maxDepth: { n: settings.maxDepth, flattenFragments: true, ...refuse(LimitCode.QUERY_TOO_DEEP) },
    maxAliases: { n: settings.maxAliases, ...refuse(LimitCode.TOO_MANY_ALIASES) },
    maxTokens: { n: settings.maxTokens, ...refuse(LimitCode.TOO_MANY_TOKENS) },
    maxDirectives: { n: settings.maxDirectives, ...refuse(LimitCode.TOO_MANY_DIRECTIVES) },
  }).protect();
  return {
    validationRules: armor.validationRules,
    plugins: [...armor.plugins.map(leaveSyntaxErrorsToApollo), limitCodes(production)],
  };
}

/**
 * Armor's token plugin parses the query itself in `parsingDidStart`, where
 * Apollo has no error path: a plain syntax error became an HTTP 500, and armor
 * patched that with an `unexpectedErrorProcessingRequest` hook that rewrites
 * every unexpected error, internal ones included, into a client error with
 * its message. Keep only `requestDidStart`, and let syntax errors through to
 * Apollo's own parse, which answers them as GRAPHQL_PARSE_FAILED (400).
 */
function leaveSyntaxErrorsToApollo(plugin: ApolloServerPlugin): ApolloServerPlugin {
  const { requestDidStart } = plugin;
  if (!requestDidStart) return {};
  return {
    async requestDidStart(requestContext) {
      const listener = await requestDidStart.call(plugin, requestContext);
      const parsingDidStart = listener?.parsingDidStart;
      if (!listener || !parsingDidStart) return listener;
      return {
        ...listener,
        async parsingDidStart(parsingContext) {
          try {
            return await parsingDidStart.call(listener, parsingContext);
          } catch (error) {
            if (error instanceof QueryLimitError) throw error;
          }
        },
      };
    },
  };
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;
// What armor's mask leaves of a suggestion: the question mark.
const MASKED_SUGGESTION = /\s+\?$/;

/** Puts our codes back where Apollo overwrote them, and finishes hiding suggestions. */
function limitCodes(production: boolean): ApolloServerPlugin {
  return {
    // The token limit throws before parsing: this is the one way out of there
    // that keeps the error's code and status (Apollo answers with it as is).
    async unexpectedErrorProcessingRequest({ error }) {
      if (error instanceof QueryLimitError) throw error;
    },
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            // Apollo wraps validation errors and sets GRAPHQL_VALIDATION_FAILED over any code.
            if (error.originalError instanceof QueryLimitError) error.extensions.code = error.originalError.code;
            // Armor misses enum value suggestions ("Did you mean the enum value").
            if (production) error.message = error.message.replace(SUGGESTION, "").replace(MASKED_SUGGESTION, "");
          }
        },
      };
    },
  };
}
