/**
 * The expression of chapter 2's live figure, read into a graph of @unroll/scalar
 * Values. A small recursive-descent parser, one function per precedence level:
 *
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | power
 *   power   := atom ('^' number)?          (Value.pow takes a constant exponent)
 *   atom    := number | name | fn '(' sum ')' | '(' sum ')'
 */

import { Value } from '@unroll/scalar';

const FUNCTIONS = ['tanh', 'exp', 'log', 'relu', 'sigmoid'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

/** "a = 2, b = -3" → { a: 2, b: -3 }. */
export function parseValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const part of text.split(/[,;\n]/)) {
    if (part.trim() === '') continue;
    const match = /^\s*([A-Za-z_]\w*)\s*=\s*(\S+)\s*$/.exec(part);
    if (match === null)
      throw new ExpressionError(`"${part.trim()}" is not of the form name = number`);
    const value = Number(match[2]);
    if (!Number.isFinite(value)) {
      throw new ExpressionError(`${match[1]} = ${match[2]}: the value must be a finite number`);
    }
    values.set(match[1]!, value);
  }
  return values;
}

export function buildExpression(source: string, values: Map<string, number>): Value {
  const tokens = source.match(/\d+\.?\d*(?:e[+-]?\d+)?|\.\d+|[A-Za-z_]\w*|\S/g) ?? [];
  if (tokens.length === 0) throw new ExpressionError('the expression is empty');
  if (tokens.length > 200)
    throw new ExpressionError('the expression is too long (at most 200 tokens)');
  const leaves = new Map<string, Value>();
  let at = 0;
  const peek = () => tokens[at];
  const expect = (token: string) => {
    if (tokens[at] !== token) {
      throw new ExpressionError(
        `expected "${token}" at token ${at + 1}, found ${tokens[at] ?? 'the end'}`,
      );
    }
    at++;
  };

  const sum = (): Value => {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[at++];
      const right = product();
      left = op === '+' ? left.add(right) : left.sub(right);
    }
    return left;
  };
  const product = (): Value => {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[at++];
      const right = unary();
      left = op === '*' ? left.mul(right) : left.div(right);
    }
    return left;
  };
  const unary = (): Value => {
    if (peek() === '-') {
      at++;
      return unary().neg();
    }
    return power();
  };
  const power = (): Value => {
    const base = atom();
    if (peek() !== '^') return base;
    at++;
    const sign = peek() === '-' ? (at++, -1) : 1;
    const exponent = Number(tokens[at]);
    if (!Number.isFinite(exponent)) {
      throw new ExpressionError(
        `the exponent after ^ must be a number, found ${tokens[at] ?? 'the end'}`,
      );
    }
    at++;
    return base.pow(sign * exponent);
  };
  const atom = (): Value => {
    const token = tokens[at];
    if (token === undefined) throw new ExpressionError('the expression ends too early');
    if (token === '(') {
      at++;
      const inner = sum();
      expect(')');
      return inner;
    }
    if (/^[\d.]/.test(token)) {
      at++;
      return new Value(Number(token), token);
    }
    if (/^[A-Za-z_]/.test(token)) {
      at++;
      if ((FUNCTIONS as readonly string[]).includes(token)) {
        expect('(');
        const argument = sum();
        expect(')');
        return argument[token as FunctionName]();
      }
      if (peek() === '(')
        throw new ExpressionError(`unknown function ${token} (known: ${FUNCTIONS.join(', ')})`);
      const value = values.get(token);
      if (value === undefined)
        throw new ExpressionError(`${token} has no value: add "${token} = …" to the inputs`);
      let leaf = leaves.get(token);
      if (leaf === undefined) {
        leaf = new Value(value, token);
        leaves.set(token, leaf);
      }
      return leaf;
    }
    throw new ExpressionError(`unexpected "${token}" at token ${at + 1}`);
  };

  const root = sum();
  if (at < tokens.length)
    throw new ExpressionError(`unexpected "${tokens[at]}" at token ${at + 1}`);
  return root;
}
