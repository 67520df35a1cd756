import { search } from '@aws-lambda-powertools/jmespath';
import { PowertoolsFunctions } from '@aws-lambda-powertools/jmespath/functions';

/**
 * Errors that mean the expression itself is wrong. Anything else (e.g. JMESPathTypeError
 * from `powertools_json(body)` on an empty sample) is about the data, so it passes.
 */
const EXPRESSION_ERRORS = new Set([
  'LexerError',
  'ParseError',
  'IncompleteExpressionError',
  'EmptyExpressionError',
  'UnknownFunctionError',
  'ArityError',
  'VariadicArityError',
]);

const POWERTOOLS_FUNCTIONS = new PowertoolsFunctions();

/**
 * Checks a JMESPath expression with the implementation Powertools idempotency uses at
 * runtime (`@aws-lambda-powertools/jmespath` with the Powertools functions), by
 * evaluating it against a sample event. Returns the parser's message when the expression
 * is invalid, undefined when it is fine. Shared by every construct that takes a JMESPath.
 *
 * @param sample an event of the shape the expression will see; evaluation errors about the
 * data (not the expression) are ignored
 */
export function jmesPathProblem(expression: string, sample: unknown = {}): string | undefined {
  if (expression.trim() === '') return 'it is empty';
  try {
    search(expression, sample as any, { customFunctions: POWERTOOLS_FUNCTIONS });
    return undefined;
  } catch (error) {
    const err = error as Error;
    return EXPRESSION_ERRORS.has(err.name) ? err.message : undefined;
  }
}
