/** The shape of compose/_extracted/e2e-scenarios.json (docker/compose's e2e tests, as data). */
export interface Scenario {
  test: string;
  file: string;
  intent: string;
  testdata: string;
  steps: Step[];
}

export interface Step {
  step: string;
  commands: Array<{ kind: 'compose' | 'docker'; args: string[] }>;
  checks: Check[];
}

export interface Check {
  check: string;
  args: string[];
  eventually: boolean;
}

/** What a scenario's Go expressions may refer to. */
export interface ExprScope {
  dir: string;
  project: string;
}

export class Unsupported extends Error {}

/**
 * `<expr:...>` arguments are Go expressions from the test code. The few forms the scenarios use are evaluated:
 * numbers, string literals, `dir`/`s.Dir()`, `s.Project()`, `filepath.Join(...)`, and `+` concatenations of those.
 * Anything else (variables computed in Go) makes the scenario unsupported, with the expression as the reason.
 */
export function evaluateArg(arg: string, scope: ExprScope): string {
  return arg.replace(/<expr:([\s\S]*?)>(?=$|[^"`%])/g, (_m, expr: string) => evaluate(expr.trim(), scope));
}

function evaluate(expr: string, scope: ExprScope): string {
  if (/^-?\d+$/.test(expr)) return expr;
  const parts = splitConcat(expr);
  if (parts.length > 1) return parts.map((p) => (p === '' ? '' : evaluate(p, scope))).join('');
  if (/^"(?:[^"\\]|\\.)*"$/.test(expr)) return JSON.parse(expr) as string;
  if (/^`[^`]*`$/.test(expr)) return expr.slice(1, -1);
  if (expr === 'dir' || expr === 's.Dir()') return scope.dir;
  if (expr === 's.Project()') return scope.project;
  const sprintf = /^fmt\.Sprintf\(([\s\S]*)\)$/.exec(expr);
  if (sprintf) {
    const [format = '""', ...values] = splitArgs(sprintf[1]!);
    let i = 0;
    return evaluate(format, scope).replace(/%[sdv]/g, () => evaluate(values[i++] ?? '""', scope));
  }
  const join = /^filepath\.Join\((.*)\)$/.exec(expr);
  if (join) return splitArgs(join[1]!).map((a) => evaluate(a, scope)).join('/');
  throw new Unsupported(`Go expression computed in the test code: ${expr}`);
}

/** Splits on top-level `+` (outside quotes and parentheses). */
function splitConcat(expr: string): string[] {
  return splitTop(expr, '+');
}

function splitArgs(args: string): string[] {
  return splitTop(args, ',').map((a) => a.trim());
}

function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      current += ch;
      if (ch === '\\' && quote === '"') current += text[++i] ?? '';
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === '`') quote = ch;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === sep && depth === 0) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current.trim());
  return out;
}
