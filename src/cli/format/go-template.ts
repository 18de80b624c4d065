/**
 * Go's text/template, as much of it as docker's `--format` flags use: a lexer, a parser and an evaluator over JSON-like
 * data (objects, arrays, strings, numbers, booleans, null).
 *
 * Actions: `{{pipeline}}`, `{{if}}`/`{{else if}}`/`{{else}}`/`{{end}}`, `{{range}}` (arrays, maps in key order,
 * integers; `{{break}}`, `{{continue}}`, `{{else}}`), `{{with}}` (and `{{else with}}`), variables (`$x := ...`,
 * `$x = ...`, `$i, $v := range ...`, `$`), pipelines (`.X | json`), parenthesised pipelines with field chains
 * (`(index .M "k").Field`), comments, trim markers (`{{- ` and ` -}}`). `define`/`template`/`block` are not supported.
 *
 * Functions: Go's `and or not len index slice print printf println html urlquery eq ne lt le gt ge`, and the ones the
 * docker CLI adds: `json split join title lower upper pad truncate`.
 *
 * JSON has no types, so Go's struct/map distinction is guessed: the data passed in is a struct, and so is any non-empty
 * object whose keys all look like exported Go field names (`Config`, `IPAddress`). A missing field of a struct is an
 * error (`can't evaluate field Foo`); a missing key of a map is `<no value>`, as in Go.
 */
import { UserError } from '../../errors.js';

export class GoTemplateError extends UserError {}

// ---------------------------------------------------------------------------------------------------------------
// Lexer

type TokKind =
  | 'text' | 'left' | 'right' | 'field' | 'var' | 'ident' | 'string' | 'number' | 'bool' | 'nil' | 'dot'
  | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'keyword' | 'eof';

interface Token {
  kind: TokKind;
  /** The source text (for strings, numbers: as written). */
  text: string;
  /** Decoded value of string and number literals, a text token's text. */
  value?: string | number | boolean;
  pos: number;
  /** Whitespace precedes this token inside an action (field chains must be adjacent). */
  space: boolean;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[\p{L}_]/u.test(c);
const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/;

interface LexOptions {
  /** Turn the two-character sequences `\t` and `\n` of the text outside actions into a tab and a newline. */
  escapes: boolean;
}

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private trimNext = false;

  constructor(
    private readonly src: string,
    private readonly fail: (pos: number, msg: string) => never,
    private readonly opts: LexOptions,
  ) {}

  run(): Token[] {
    while (this.pos < this.src.length) {
      const open = this.src.indexOf('{{', this.pos);
      const end = open < 0 ? this.src.length : open;
      let text = this.src.slice(this.pos, end);
      const at = this.pos;
      if (this.trimNext) text = text.replace(/^[ \t\r\n]+/, '');
      this.trimNext = false;
      if (open < 0) {
        this.emitText(text, at);
        this.pos = this.src.length;
        break;
      }
      const trimLeft = this.src[open + 2] === '-' && isSpace(this.src[open + 3]);
      if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
      this.emitText(text, at);
      this.pos = open + (trimLeft ? 4 : 2);
      if (this.src.startsWith('/*', this.pos) || (trimLeft && this.src.slice(this.pos).match(/^[ \t\r\n]*\/\*/))) this.comment(open);
      else this.action(open);
    }
    this.tokens.push({ kind: 'eof', text: '', pos: this.src.length, space: false });
    return this.tokens;
  }

  private emitText(text: string, pos: number): void {
    if (text === '') return;
    const value = this.opts.escapes ? text.replace(/\\t/g, '\t').replace(/\\n/g, '\n') : text;
    this.tokens.push({ kind: 'text', text, value, pos, space: false });
  }

  private comment(open: number): void {
    while (isSpace(this.src[this.pos])) this.pos++;
    const close = this.src.indexOf('*/', this.pos + 2);
    if (close < 0) this.fail(open, 'unclosed comment');
    this.pos = close + 2;
    if (this.src.startsWith('}}', this.pos)) this.pos += 2;
    else if (isSpace(this.src[this.pos]) && this.src.startsWith('-}}', this.pos + 1)) {
      this.pos += 4;
      this.trimNext = true;
    } else this.fail(open, 'comment ends before closing delimiter');
  }

  private push(kind: TokKind, start: number, space: boolean, value?: string | number | boolean): void {
    const token: Token = { kind, text: this.src.slice(start, this.pos), pos: start, space };
    if (value !== undefined) token.value = value;
    this.tokens.push(token);
  }

  private action(open: number): void {
    this.tokens.push({ kind: 'left', text: '{{', pos: open, space: false });
    let space = false;
    let depth = 0;
    for (;;) {
      const start = this.pos;
      const c = this.src[this.pos];
      if (c === undefined) this.fail(open, 'unclosed action');
      if (this.src.startsWith('}}', this.pos)) {
        if (depth > 0) this.fail(this.pos, 'unclosed left paren');
        this.pos += 2;
        this.push('right', start, space);
        return;
      }
      if (isSpace(c)) {
        while (isSpace(this.src[this.pos])) this.pos++;
        if (this.src.startsWith('-}}', this.pos)) {
          if (depth > 0) this.fail(this.pos, 'unclosed left paren');
          this.pos += 3;
          this.push('right', this.pos - 3, true);
          this.trimNext = true;
          return;
        }
        space = true;
        continue;
      }
      if (c === '|') {
        this.pos++;
        this.push('pipe', start, space);
      } else if (c === '(') {
        this.pos++;
        depth++;
        this.push('lparen', start, space);
      } else if (c === ')') {
        this.pos++;
        if (--depth < 0) this.fail(start, 'unexpected right paren');
        this.push('rparen', start, space);
      } else if (c === ',') {
        this.pos++;
        this.push('comma', start, space);
      } else if (this.src.startsWith(':=', this.pos)) {
        this.pos += 2;
        this.push('declare', start, space);
      } else if (c === '=') {
        this.pos++;
        this.push('assign', start, space);
      } else if (c === '"') {
        this.push('string', start, space, this.quoted(start));
      } else if (c === '`') {
        const close = this.src.indexOf('`', this.pos + 1);
        if (close < 0) this.fail(start, 'unterminated raw quoted string');
        this.pos = close + 1;
        this.push('string', start, space, this.src.slice(start + 1, close));
      } else if (c === "'") {
        this.push('number', start, space, this.char(start));
      } else if (c === '$') {
        this.pos++;
        while (isIdentChar(this.src[this.pos])) this.pos++;
        this.push('var', start, space);
      } else if (c === '.' && !/\d/.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        if (isIdentStart(this.src[this.pos])) {
          while (isIdentChar(this.src[this.pos])) this.pos++;
          this.push('field', start, space);
        } else this.push('dot', start, space);
      } else if (/[\d.+-]/.test(c)) {
        const m = NUMBER.exec(this.src.slice(this.pos));
        if (!m || isIdentChar(this.src[this.pos + m[0].length])) this.fail(start, `bad number syntax: "${this.src.slice(this.pos, this.pos + (m?.[0].length ?? 0) + 1)}"`);
        this.pos += m[0].length;
        this.push('number', start, space, parseNumber(m[0]));
      } else if (isIdentStart(c)) {
        while (isIdentChar(this.src[this.pos])) this.pos++;
        const word = this.src.slice(start, this.pos);
        if (word === 'true' || word === 'false') this.push('bool', start, space, word === 'true');
        else if (word === 'nil') this.push('nil', start, space);
        else this.push(KEYWORDS.has(word) ? 'keyword' : 'ident', start, space);
      } else this.fail(start, `unexpected "${c}" in command`);
      space = false;
    }
  }

  /** A Go interpreted string literal, decoded. */
  private quoted(start: number): string {
    let out = '';
    this.pos = start + 1;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === '\n') this.fail(start, 'unterminated quoted string');
      this.pos++;
      if (c === '"') return out;
      if (c === '\\') out += this.escape(start);
      else out += c;
    }
  }

  private char(start: number): number {
    this.pos = start + 1;
    const c = this.src[this.pos];
    if (c === undefined || c === '\n' || c === "'") this.fail(start, 'unterminated character constant');
    let ch: string;
    if (c === '\\') {
      this.pos++;
      ch = this.escape(start);
    } else {
      ch = String.fromCodePoint(this.src.codePointAt(this.pos)!);
      this.pos += ch.length;
    }
    if (this.src[this.pos] !== "'") this.fail(start, 'unterminated character constant');
    this.pos++;
    return ch.codePointAt(0)!;
  }

  /** After a backslash: Go's escapes (\n \t \\ \" \' \a \b \f \r \v \xHH \uHHHH \UHHHHHHHH \ooo). */
  private escape(start: number): string {
    const c = this.src[this.pos++];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (c !== undefined && c in simple) return simple[c]!;
    const hex = (n: number): string => {
      const digits = this.src.slice(this.pos, this.pos + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) this.fail(start, 'invalid syntax');
      this.pos += n;
      return String.fromCodePoint(parseInt(digits, 16));
    };
    if (c === 'x') return hex(2);
    if (c === 'u') return hex(4);
    if (c === 'U') return hex(8);
    if (c !== undefined && /[0-7]/.test(c)) {
      const digits = this.src.slice(this.pos - 1, this.pos + 2);
      if (!/^[0-7]{3}$/.test(digits)) this.fail(start, 'invalid syntax');
      this.pos += 2;
      return String.fromCodePoint(parseInt(digits, 8));
    }
    return this.fail(start, 'invalid syntax');
  }
}

function parseNumber(text: string): number {
  const t = text.replace(/_/g, '');
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  if (/^0[xX]/.test(body)) return sign * parseInt(body.slice(2), 16);
  if (/^0[bB]/.test(body)) return sign * parseInt(body.slice(2), 2);
  if (/^0[oO]/.test(body)) return sign * parseInt(body.slice(2), 8);
  if (/^0[0-7]+$/.test(body)) return sign * parseInt(body.slice(1), 8);
  return sign * Number(body);
}

// ---------------------------------------------------------------------------------------------------------------
// Parse tree

type Operand =
  | { kind: 'dot'; pos: number }
  | { kind: 'field'; pos: number; names: string[] }
  | { kind: 'var'; pos: number; name: string; names: string[] }
  | { kind: 'func'; pos: number; name: string }
  | { kind: 'literal'; pos: number; text: string; value: string | number | boolean | null }
  | { kind: 'pipe'; pos: number; pipe: Pipeline }
  | { kind: 'chain'; pos: number; node: Operand; names: string[] };

interface Command {
  pos: number;
  args: Operand[];
}

interface Pipeline {
  pos: number;
  decl: string[];
  assign: boolean;
  cmds: Command[];
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pos: number; pipe: Pipeline }
  | ControlNode
  | { kind: 'break' | 'continue'; pos: number };

interface ControlNode {
  kind: 'if' | 'with' | 'range';
  pos: number;
  pipe: Pipeline;
  list: Node[];
  elseList: Node[] | undefined;
}

function operandString(o: Operand): string {
  switch (o.kind) {
    case 'dot': return '.';
    case 'field': return o.names.map((n) => `.${n}`).join('');
    case 'var': return o.name + o.names.map((n) => `.${n}`).join('');
    case 'func': return o.name;
    case 'literal': return o.text;
    case 'pipe': return `(${pipelineString(o.pipe)})`;
    case 'chain': return operandString(o.node) + o.names.map((n) => `.${n}`).join('');
  }
}

const commandString = (c: Command): string => c.args.map(operandString).join(' ');
const pipelineString = (p: Pipeline): string => (p.decl.length ? `${p.decl.join(', ')} ${p.assign ? '=' : ':='} ` : '') + p.cmds.map(commandString).join(' | ');

class Parser {
  private i = 0;
  private readonly vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly funcs: ReadonlySet<string>,
    private readonly fail: (pos: number, msg: string) => never,
  ) {}

  parse(): Node[] {
    const { nodes, stop } = this.list();
    if (stop.kind !== 'eof') this.fail(stop.pos, `unexpected {{${stop.text}}}`);
    return nodes;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private expect(kind: TokKind, context: string): Token {
    const t = this.next();
    if (t.kind !== kind) this.fail(t.pos, `unexpected ${describe(t)} in ${context}`);
    return t;
  }

  /** Nodes up to `{{end}}`, `{{else}}` (the token returned, the rest of its action not consumed) or the end. */
  private list(): { nodes: Node[]; stop: Token } {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return { nodes, stop: t };
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: String(t.value) });
        continue;
      }
      // t is a left delimiter
      const head = this.peek();
      if (head.kind === 'keyword') {
        this.next();
        switch (head.text) {
          case 'end':
            this.expect('right', 'end');
            return { nodes, stop: head };
          case 'else':
            return { nodes, stop: head };
          case 'if':
          case 'with':
          case 'range':
            nodes.push(this.control(head.text, head.pos));
            continue;
          case 'break':
          case 'continue':
            if (this.rangeDepth === 0) this.fail(head.pos, `{{${head.text}}} outside {{range}}`);
            this.expect('right', head.text);
            nodes.push({ kind: head.text, pos: head.pos });
            continue;
          default:
            this.fail(head.pos, `{{${head.text}}} is not supported here`);
        }
      }
      const pipe = this.pipeline('command');
      nodes.push({ kind: 'action', pos: pipe.pos, pipe });
    }
  }

  private control(kind: 'if' | 'with' | 'range', pos: number): Node {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, kind === 'range');
    if (kind === 'range') this.rangeDepth++;
    const body = this.list();
    if (kind === 'range') this.rangeDepth--;
    let elseList: Node[] | undefined;
    if (body.stop.kind === 'eof') this.fail(body.stop.pos, 'unexpected EOF');
    if (body.stop.text === 'else') {
      const after = this.peek();
      if (after.kind === 'keyword' && (after.text === 'if' || after.text === 'with') && after.text === kind) {
        // {{else if ...}}: an if inside the else branch that shares the final {{end}}
        this.next();
        elseList = [this.control(kind, after.pos)];
      } else {
        this.expect('right', 'else');
        const rest = this.list();
        if (rest.stop.kind === 'eof') this.fail(rest.stop.pos, 'unexpected EOF');
        if (rest.stop.text !== 'end') this.fail(rest.stop.pos, `expected end; found {{${rest.stop.text}}}`);
        elseList = rest.nodes;
      }
    }
    this.vars.length = mark;
    return { kind, pos, pipe, list: body.nodes, elseList };
  }

  /** A pipeline up to the closing delimiter (consumed), with its optional declaration. */
  private pipeline(context: string, twoVars = false): Pipeline {
    const pos = this.peek().pos;
    const decl: string[] = [];
    let assign = false;
    const t0 = this.tokens[this.i]!;
    const t1 = this.tokens[this.i + 1];
    const t2 = this.tokens[this.i + 2];
    const t3 = this.tokens[this.i + 3];
    if (t0.kind === 'var' && (t1?.kind === 'declare' || t1?.kind === 'assign')) {
      decl.push(t0.text);
      assign = t1.kind === 'assign';
      this.i += 2;
    } else if (t0.kind === 'var' && t1?.kind === 'comma' && t2?.kind === 'var' && (t3?.kind === 'declare' || t3?.kind === 'assign')) {
      if (!twoVars) this.fail(t1.pos, `too many declarations in ${context}`);
      decl.push(t0.text, t2.text);
      assign = t3.kind === 'assign';
      this.i += 4;
    }
    if (assign) for (const v of decl) if (!this.vars.includes(v)) this.fail(pos, `undefined variable "${v}"`);
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.command(context));
      const t = this.next();
      if (t.kind === 'right') break;
      if (t.kind !== 'pipe') this.fail(t.pos, `unexpected ${describe(t)} in ${context}`);
    }
    if (!assign) this.vars.push(...decl);
    return { pos, decl, assign, cmds };
  }

  /** Operands up to `|`, `)` or the closing delimiter (not consumed). */
  private command(context: string): Command {
    const args: Operand[] = [];
    const pos = this.peek().pos;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'right' || t.kind === 'pipe' || t.kind === 'rparen') break;
      if (args.length > 0 && !t.space) this.fail(t.pos, `missing space? unexpected ${describe(t)} in operand`);
      args.push(this.operand(context));
    }
    if (args.length === 0) this.fail(this.peek().pos, `missing value for ${context}`);
    return { pos, args };
  }

  private operand(context: string): Operand {
    const t = this.next();
    let node: Operand;
    switch (t.kind) {
      case 'dot':
        node = { kind: 'dot', pos: t.pos };
        break;
      case 'field':
        node = { kind: 'field', pos: t.pos, names: [t.text.slice(1)] };
        break;
      case 'var':
        if (!this.vars.includes(t.text)) this.fail(t.pos, `undefined variable "${t.text}"`);
        node = { kind: 'var', pos: t.pos, name: t.text, names: [] };
        break;
      case 'ident':
        if (!this.funcs.has(t.text)) this.fail(t.pos, `function "${t.text}" not defined`);
        node = { kind: 'func', pos: t.pos, name: t.text };
        break;
      case 'string':
      case 'number':
      case 'bool':
        node = { kind: 'literal', pos: t.pos, text: t.text, value: t.value ?? null };
        break;
      case 'nil':
        node = { kind: 'literal', pos: t.pos, text: 'nil', value: null };
        break;
      case 'lparen': {
        const pipe = this.subPipeline(context);
        node = { kind: 'pipe', pos: t.pos, pipe };
        break;
      }
      default:
        return this.fail(t.pos, `unexpected ${describe(t)} in ${context}`);
    }
    const names: string[] = [];
    while (this.peek().kind === 'field' && !this.peek().space) names.push(this.next().text.slice(1));
    if (names.length === 0) return node;
    if (node.kind === 'field' || node.kind === 'var') {
      node.names.push(...names);
      return node;
    }
    if (node.kind === 'pipe' || node.kind === 'dot') return { kind: 'chain', pos: node.pos, node, names };
    return this.fail(t.pos, `unexpected . after term "${operandString(node)}"`);
  }

  /** `( pipeline )`: the left paren consumed, the right one consumed here. */
  private subPipeline(context: string): Pipeline {
    const pos = this.peek().pos;
    const cmds: Command[] = [];
    let decl: string[] = [];
    const t0 = this.tokens[this.i]!;
    const t1 = this.tokens[this.i + 1];
    let assign = false;
    if (t0.kind === 'var' && (t1?.kind === 'declare' || t1?.kind === 'assign')) {
      decl = [t0.text];
      assign = t1.kind === 'assign';
      if (assign && !this.vars.includes(t0.text)) this.fail(t0.pos, `undefined variable "${t0.text}"`);
      this.i += 2;
    }
    for (;;) {
      cmds.push(this.command(context));
      const t = this.next();
      if (t.kind === 'rparen') break;
      if (t.kind !== 'pipe') this.fail(t.pos, `unclosed left paren`);
    }
    if (!assign) this.vars.push(...decl);
    return { pos, decl, assign, cmds };
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'EOF';
  if (t.kind === 'right') return '"}}"';
  if (t.kind === 'keyword') return `<${t.text}>`;
  return `"${t.text}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Values: Go's view of JSON data

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const GO_FIELD = /^[A-Z][A-Za-z0-9_]*$/;

/** The type name Go would print for a value decoded from JSON. */
function goType(v: unknown, structs: WeakSet<object>): string {
  if (v === undefined) return '<nil>';
  if (v === null) return 'interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isStruct(v, structs)) return 'struct';
  return 'map[string]interface {}';
}

function isStruct(v: unknown, structs: WeakSet<object>): boolean {
  if (!isObject(v)) return false;
  if (structs.has(v)) return true;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => GO_FIELD.test(k));
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false; structs are true. */
function truth(v: unknown, structs: WeakSet<object>): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return isStruct(v, structs) || Object.keys(v).length > 0;
  return true;
}

/** A number as Go's %v prints a float64 or int. */
function goNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

/** fmt's %v. */
function printValue(v: unknown, structs: WeakSet<object>): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((e) => printValue(e ?? null, structs)).join(' ')}]`;
  if (isObject(v)) {
    if (isStruct(v, structs)) return `{${Object.values(v).map((e) => printValue(e ?? null, structs)).join(' ')}}`;
    return `map[${Object.keys(v).sort().map((k) => `${k}:${printValue(v[k] ?? null, structs)}`).join(' ')}]`;
  }
  return String(v);
}

/** encoding/json as docker's `json` function uses it: maps with sorted keys, no HTML escaping. */
function goJson(v: unknown, structs: WeakSet<object>): string {
  const encode = (x: unknown): string => {
    if (x === undefined || x === null) return 'null';
    if (typeof x === 'number') return Number.isFinite(x) ? JSON.stringify(x) : 'null';
    if (typeof x === 'string' || typeof x === 'boolean') return JSON.stringify(x).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
    if (Array.isArray(x)) return `[${x.map(encode).join(',')}]`;
    if (isObject(x)) {
      const keys = (isStruct(x, structs) ? Object.keys(x) : Object.keys(x).sort()).filter((k) => x[k] !== undefined);
      return `{${keys.map((k) => `${encode(k)}:${encode(x[k])}`).join(',')}}`;
    }
    return 'null';
  };
  return encode(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Functions

class FuncError extends Error {}

interface FuncContext {
  structs: WeakSet<object>;
  header: boolean;
}

type Func = (args: unknown[], ctx: FuncContext) => unknown;

function want(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new FuncError(`wrong number of args for ${name}: want ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} got ${args.length}`);
  }
}

function str(v: unknown, ctx: FuncContext): string {
  if (typeof v === 'string') return v;
  if (v === undefined) throw new FuncError('invalid value; expected string');
  throw new FuncError(`wrong type for value; expected string; got ${goType(v, ctx.structs)}`);
}

function int(v: unknown, ctx: FuncContext): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (v === undefined) throw new FuncError('invalid value; expected int');
  throw new FuncError(`wrong type for value; expected int; got ${goType(v, ctx.structs)}`);
}

function basicKind(v: unknown): 'string' | 'number' | 'bool' | 'nil' | 'other' {
  if (v === undefined || v === null) return 'nil';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'other';
}

function equal(a: unknown, b: unknown, ctx: FuncContext): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka === 'other' || kb === 'other') {
    if (a === b) return true;
    throw new FuncError(`non-comparable type ${printValue(ka === 'other' ? a : b, ctx.structs)}: ${goType(ka === 'other' ? a : b, ctx.structs)}`);
  }
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return a === b;
}

function order(a: unknown, b: unknown): number {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if ((ka !== 'string' && ka !== 'number') || (kb !== 'string' && kb !== 'number')) throw new FuncError('invalid type for comparison');
  if (ka !== kb) throw new FuncError('incompatible types for comparison');
  return (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1;
}

/** `index`: a missing map key is the zero value of the map's element type (guessed: "" for maps of strings). */
function indexOf(item: unknown, keys: unknown[], ctx: FuncContext): unknown {
  let v = item;
  for (const key of keys) {
    if (Array.isArray(v) || typeof v === 'string') {
      if (typeof key !== 'number' || !Number.isInteger(key)) throw new FuncError(`cannot index slice/array with type ${goType(key, ctx.structs)}`);
      if (key < 0 || key >= v.length) throw new FuncError(`index out of range: ${key}`);
      v = typeof v === 'string' ? Buffer.from(v)[key] : v[key];
    } else if (isObject(v) || v === null) {
      // null: a nil map (docker's typed maps, Labels among them, index as empty ones)
      if (typeof key !== 'string') throw new FuncError(`value has type ${goType(key, ctx.structs)}; should be string`);
      const map: Obj = v ?? {};
      if (Object.hasOwn(map, key)) v = map[key];
      else v = Object.values(map).every((x) => typeof x === 'string') ? '' : undefined;
    } else if (v === undefined) {
      throw new FuncError('index of untyped nil');
    } else {
      throw new FuncError(`can't index item of type ${goType(v, ctx.structs)}`);
    }
  }
  return v;
}

/** fmt.Sprint: spaces between operands when neither is a string. */
function sprint(args: unknown[], ctx: FuncContext): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += printValue(a, ctx.structs);
  });
  return out;
}

/** fmt.Sprintf with the common verbs (%v %s %d %q %t %f %e %g %x %X %o %b %c %%), flags, width and precision. */
function sprintf(format: string, args: unknown[], ctx: FuncContext): string {
  let arg = 0;
  const out = format.replace(/%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])/g, (whole, flags: string, widthText: string | undefined, precText: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const width = widthText === '*' ? Number(args[arg++]) : widthText ? Number(widthText) : undefined;
    const prec = precText === '*' ? Number(args[arg++]) : precText !== undefined ? Number(precText || '0') : whole.includes('.') ? 0 : undefined;
    if (arg >= args.length) return `%!${verb}(MISSING)`;
    const v = args[arg++] ?? null;
    const bad = (): string => (v === null ? `%!${verb}(<nil>)` : `%!${verb}(${goType(v, ctx.structs)}=${printValue(v, ctx.structs)})`);
    let text: string;
    switch (verb) {
      case 'v':
      case 's':
        if (verb === 's' && (v === null || typeof v === 'number' || typeof v === 'boolean')) return bad();
        text = printValue(v, ctx.structs);
        if (prec !== undefined && verb === 's') text = [...text].slice(0, prec).join('');
        break;
      case 'd':
        if (typeof v !== 'number' || !Number.isInteger(v)) return bad();
        text = (flags.includes('+') && v >= 0 ? '+' : '') + String(v);
        break;
      case 'q':
        if (typeof v === 'string') text = JSON.stringify(v);
        else if (typeof v === 'number' && Number.isInteger(v)) text = `'${String.fromCodePoint(v)}'`;
        else return bad();
        break;
      case 't':
        if (typeof v !== 'boolean') return bad();
        text = String(v);
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'g':
        if (typeof v !== 'number') return bad();
        text = verb === 'e' ? v.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2') : verb === 'g' ? (prec === undefined ? goNumber(v) : String(Number(v.toPrecision(prec || 1)))) : v.toFixed(prec ?? 6);
        if (flags.includes('+') && v >= 0) text = `+${text}`;
        break;
      case 'x':
      case 'X':
      case 'o':
      case 'b': {
        const base = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
        if (typeof v === 'number' && Number.isInteger(v)) text = v.toString(base);
        else if (typeof v === 'string' && base === 16) text = Buffer.from(v).toString('hex');
        else return bad();
        if (verb === 'X') text = text.toUpperCase();
        break;
      }
      case 'c':
        if (typeof v !== 'number' || !Number.isInteger(v)) return bad();
        text = String.fromCodePoint(v);
        break;
      default:
        return bad();
    }
    if (width !== undefined && [...text].length < width) {
      const pad = width - [...text].length;
      if (flags.includes('-')) text += ' '.repeat(pad);
      else if (flags.includes('0') && /[dfFeEgxXob]/.test(verb)) text = text.replace(/^([+-]?)/, (s) => s + '0'.repeat(pad));
      else text = ' '.repeat(pad) + text;
    }
    return text;
  });
  if (arg < args.length) return `${out}%!(EXTRA ${args.slice(arg).map((a) => `${goType(a, ctx.structs)}=${printValue(a, ctx.structs)}`).join(', ')})`;
  return out;
}

/** strings.Title: the first letter of each word in upper case. */
function title(s: string): string {
  let prevSeparator = true;
  let out = '';
  for (const c of s) {
    out += prevSeparator ? c.toUpperCase() : c;
    prevSeparator = c.charCodeAt(0) < 0x80 ? !/[A-Za-z0-9_]/.test(c) : /\s/u.test(c);
  }
  return out;
}

const FUNCS: Record<string, Func> = {
  // and/or are evaluated lazily by the executor; these run when they appear as a pipeline's only values
  and: (args, ctx) => {
    want('and', args, 1, Infinity);
    return args.find((a) => !truth(a, ctx.structs)) ?? args[args.length - 1];
  },
  or: (args, ctx) => {
    want('or', args, 1, Infinity);
    return args.find((a) => truth(a, ctx.structs)) ?? args[args.length - 1];
  },
  not: (args, ctx) => {
    want('not', args, 1);
    return !truth(args[0], ctx.structs);
  },
  len: (args, ctx) => {
    want('len', args, 1);
    const v = args[0];
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (Array.isArray(v)) return v.length;
    if (isObject(v) && !isStruct(v, ctx.structs)) return Object.keys(v).length;
    if (v === null) return 0;
    throw new FuncError(`len of type ${goType(v, ctx.structs)}`);
  },
  index: (args, ctx) => {
    want('index', args, 1, Infinity);
    return indexOf(args[0], args.slice(1), ctx);
  },
  slice: (args, ctx) => {
    want('slice', args, 1, 4);
    const [item, ...idx] = args;
    const bounds = idx.map((i) => int(i, ctx));
    if (typeof item === 'string') {
      if (bounds.length > 2) throw new FuncError('cannot 3-index slice a string');
      const bytes = Buffer.from(item);
      const [from = 0, to = bytes.length] = bounds;
      if (from < 0 || to > bytes.length || from > to) throw new FuncError(`index out of range: ${from > to ? from : to}`);
      return bytes.subarray(from, to).toString();
    }
    if (!Array.isArray(item)) throw new FuncError(`can't slice item of type ${goType(item, ctx.structs)}`);
    const [from = 0, to = item.length] = bounds;
    if (from < 0 || to > item.length || from > to) throw new FuncError(`index out of range: ${from > to ? from : to}`);
    return item.slice(from, to);
  },
  // a missing value passed to a function is Go's nil interface
  print: (args, ctx) => sprint(args.map((a) => a ?? null), ctx),
  println: (args, ctx) => `${args.map((a) => printValue(a ?? null, ctx.structs)).join(' ')}\n`,
  printf: (args, ctx) => {
    want('printf', args, 1, Infinity);
    return sprintf(str(args[0], ctx), args.slice(1), ctx);
  },
  html: (args, ctx) => sprint(args, ctx).replace(/[&<>"'\0]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '\0': '\uFFFD' })[c]!),
  urlquery: (args, ctx) => encodeURIComponent(sprint(args, ctx)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  eq: (args, ctx) => {
    want('eq', args, 1, Infinity);
    if (args.length < 2) throw new FuncError('missing argument for comparison');
    return args.slice(1).some((b) => equal(args[0], b, ctx));
  },
  ne: (args, ctx) => (want('ne', args, 2), !equal(args[0], args[1], ctx)),
  lt: (args) => (want('lt', args, 2), order(args[0], args[1]) < 0),
  le: (args) => (want('le', args, 2), order(args[0], args[1]) <= 0),
  gt: (args) => (want('gt', args, 2), order(args[0], args[1]) > 0),
  ge: (args) => (want('ge', args, 2), order(args[0], args[1]) >= 0),
  // the docker CLI's functions
  json: (args, ctx) => {
    want('json', args, 1);
    return ctx.header ? printValue(args[0], ctx.structs) : goJson(args[0], ctx.structs);
  },
  split: (args, ctx) => {
    want('split', args, 2);
    if (ctx.header) return str(args[0], ctx);
    const [s, sep] = [str(args[0], ctx), str(args[1], ctx)];
    return sep === '' ? [...s] : s.split(sep);
  },
  join: (args, ctx) => {
    want('join', args, 2);
    if (ctx.header) return printValue(args[0], ctx.structs);
    const list = args[0];
    if (!Array.isArray(list)) throw new FuncError(`wrong type for value; expected []string; got ${goType(list, ctx.structs)}`);
    return list.map((e) => printValue(e, ctx.structs)).join(str(args[1], ctx));
  },
  title: (args, ctx) => (want('title', args, 1), ctx.header ? str(args[0], ctx) : title(str(args[0], ctx))),
  lower: (args, ctx) => (want('lower', args, 1), ctx.header ? str(args[0], ctx) : str(args[0], ctx).toLowerCase()),
  upper: (args, ctx) => (want('upper', args, 1), ctx.header ? str(args[0], ctx) : str(args[0], ctx).toUpperCase()),
  truncate: (args, ctx) => {
    want('truncate', args, 2);
    const chars = [...str(args[0], ctx)];
    const length = int(args[1], ctx);
    return ctx.header || chars.length < length ? chars.join('') : chars.slice(0, Math.max(0, length)).join('');
  },
  pad: (args, ctx) => {
    want('pad', args, 3);
    const s = str(args[0], ctx);
    return s === '' ? s : ' '.repeat(Math.max(0, int(args[1], ctx))) + s + ' '.repeat(Math.max(0, int(args[2], ctx)));
  },
};

const FUNC_NAMES: ReadonlySet<string> = new Set(Object.keys(FUNCS));

// ---------------------------------------------------------------------------------------------------------------
// Execution

const NONE = Symbol('no final value');
class BreakSignal {}
class ContinueSignal {}

class Exec {
  private readonly out: string[] = [];
  private readonly vars: Array<[string, unknown]> = [];
  readonly ctx: FuncContext;

  constructor(
    private readonly src: string,
    root: unknown,
    structs: WeakSet<object>,
    header: boolean,
  ) {
    this.vars.push(['$', root]);
    this.ctx = { structs, header };
  }

  run(nodes: Node[], dot: unknown): string {
    this.list(nodes, dot);
    return this.out.join('');
  }

  private fail(pos: number, at: string, msg: string): never {
    const before = this.src.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - (before.lastIndexOf('\n') + 1);
    throw new GoTemplateError(`template: :${line}:${col}: executing "" at <${at}>: ${msg}`);
  }

  private list(nodes: Node[], dot: unknown): void {
    for (const node of nodes) this.node(node, dot);
  }

  private node(node: Node, dot: unknown): void {
    switch (node.kind) {
      case 'text':
        this.out.push(node.text);
        return;
      case 'action': {
        const v = this.pipeline(node.pipe, dot);
        if (node.pipe.decl.length === 0) this.out.push(printValue(v, this.ctx.structs));
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.pipeline(node.pipe, dot);
        if (truth(v, this.ctx.structs)) this.list(node.list, node.kind === 'with' ? v : dot);
        else if (node.elseList) this.list(node.elseList, dot);
        this.vars.length = mark;
        return;
      }
      case 'range':
        return this.range(node, dot);
    }
  }

  private range(node: ControlNode, dot: unknown): void {
    const mark = this.vars.length;
    const value = this.pipeline({ ...node.pipe, decl: [] }, dot);
    const entries: Array<[unknown, unknown]> = [];
    if (Array.isArray(value)) value.forEach((v, i) => entries.push([i, v]));
    else if (isObject(value)) for (const k of Object.keys(value).sort()) entries.push([k, value[k]]);
    else if (typeof value === 'number' && Number.isInteger(value)) for (let i = 0; i < value; i++) entries.push([i, i]);
    else if (value !== undefined && value !== null) this.fail(node.pos, pipelineString(node.pipe), `range can't iterate over ${printValue(value, this.ctx.structs)}`);
    const [first, second] = node.pipe.decl;
    for (const [key, elem] of entries) {
      const inner = this.vars.length;
      if (node.pipe.assign) {
        if (second !== undefined) {
          this.set(first!, key);
          this.set(second, elem);
        } else if (first !== undefined) this.set(first, elem);
      } else if (second !== undefined) this.vars.push([first!, key], [second, elem]);
      else if (first !== undefined) this.vars.push([first, elem]);
      try {
        this.list(node.list, elem);
      } catch (e) {
        if (e instanceof BreakSignal) {
          this.vars.length = inner;
          break;
        }
        if (!(e instanceof ContinueSignal)) throw e;
      }
      this.vars.length = inner;
    }
    if (entries.length === 0 && node.elseList) this.list(node.elseList, dot);
    this.vars.length = mark;
  }

  private set(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]![0] === name) {
        this.vars[i]![1] = value;
        return;
      }
    }
  }

  private lookup(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]![0] === name) return this.vars[i]![1];
    return undefined;
  }

  private pipeline(pipe: Pipeline, dot: unknown): unknown {
    let value: unknown = NONE;
    for (const cmd of pipe.cmds) value = this.command(cmd, dot, value);
    if (pipe.assign) for (const name of pipe.decl) this.set(name, value);
    else for (const name of pipe.decl) this.vars.push([name, value]);
    return value;
  }

  private command(cmd: Command, dot: unknown, final: unknown): unknown {
    const [first, ...rest] = cmd.args;
    if (!first) return undefined;
    if (first.kind === 'func') return this.call(first.name, cmd, rest, dot, final);
    if (rest.length > 0 || final !== NONE) {
      if (first.kind === 'field' || first.kind === 'chain' || (first.kind === 'var' && first.names.length)) {
        this.fail(first.pos, operandString(first), `${first.names[first.names.length - 1]} is not a method but has arguments`);
      }
      this.fail(first.pos, commandString(cmd), `can't give argument to non-function ${operandString(first)}`);
    }
    if (first.kind === 'literal' && first.text === 'nil') this.fail(first.pos, 'nil', 'nil is not a command');
    return this.operand(first, dot);
  }

  private call(name: string, cmd: Command, argNodes: Operand[], dot: unknown, final: unknown): unknown {
    const fn = FUNCS[name]!;
    const at = commandString(cmd);
    try {
      if (name === 'and' || name === 'or') {
        // short-circuit: stop at the first false (and) or true (or) argument
        const all: Array<() => unknown> = argNodes.map((n) => () => this.operand(n, dot));
        if (final !== NONE) all.push(() => final);
        if (all.length === 0) throw new FuncError(`wrong number of args for ${name}: want at least 1 got 0`);
        let v: unknown;
        for (const get of all) {
          v = get();
          if (truth(v, this.ctx.structs) !== (name === 'and')) return v;
        }
        return v;
      }
      const args = argNodes.map((n) => this.operand(n, dot));
      if (final !== NONE) args.push(final);
      return fn(args, this.ctx);
    } catch (e) {
      if (e instanceof FuncError) {
        const argError = /^(wrong type|invalid value|wrong number)/.test(e.message);
        this.fail(cmd.pos, at, argError ? e.message : `error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  private operand(node: Operand, dot: unknown): unknown {
    switch (node.kind) {
      case 'dot':
        return dot;
      case 'literal':
        return node.value;
      case 'field':
        return this.fields(dot, node.names, node);
      case 'var':
        return this.fields(this.lookup(node.name), node.names, node);
      case 'pipe':
        return this.pipeline(node.pipe, dot);
      case 'chain':
        return this.fields(this.operand(node.node, dot), node.names, node);
      case 'func':
        return this.call(node.name, { pos: node.pos, args: [node] }, [], dot, NONE);
    }
  }

  private fields(receiver: unknown, names: string[], node: Operand): unknown {
    let v = receiver;
    for (const name of names) {
      if (v === undefined) return undefined;
      if (v === null) this.fail(node.pos, operandString(node), `nil pointer evaluating interface {}.${name}`);
      if (isObject(v)) {
        if (Object.hasOwn(v, name)) v = v[name];
        else if (isStruct(v, this.ctx.structs)) this.fail(node.pos, operandString(node), `can't evaluate field ${name}`);
        else v = undefined;
      } else {
        this.fail(node.pos, operandString(node), `can't evaluate field ${name} in type ${goType(v, this.ctx.structs)}`);
      }
    }
    return v;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

export interface GoTemplateOptions {
  /** `\t` and `\n` (backslash sequences) in the text outside actions become tab and newline, as docker's ls commands do. */
  escapes?: boolean;
}

export interface ExecuteOptions {
  /** The data is a struct (a missing field is an error): true by default. */
  rootIsStruct?: boolean;
  /** Docker's header functions (json, split, join, title, lower, upper, truncate pass their text through). */
  header?: boolean;
}

export class GoTemplate {
  private readonly nodes: Node[];

  constructor(readonly source: string, options: GoTemplateOptions = {}) {
    const fail = (pos: number, msg: string): never => {
      const line = source.slice(0, pos).split('\n').length;
      throw new GoTemplateError(`template: :${line}: ${msg}`);
    };
    const tokens = new Lexer(source, fail, { escapes: options.escapes ?? false }).run();
    this.nodes = new Parser(tokens, FUNC_NAMES, fail).parse();
  }

  execute(data: unknown, options: ExecuteOptions = {}): string {
    const structs = new WeakSet<object>();
    if ((options.rootIsStruct ?? true) && typeof data === 'object' && data !== null) structs.add(data);
    return new Exec(this.source, data, structs, options.header ?? false).run(this.nodes, data);
  }
}

/** Parses and executes a template once. */
export function executeGoTemplate(source: string, data: unknown, options: GoTemplateOptions & ExecuteOptions = {}): string {
  return new GoTemplate(source, options).execute(data, options);
}

/** Whether a `--format` value is a template rather than a named format (`table`, `json`). */
export function isGoTemplate(format: string | undefined): format is string {
  return format !== undefined && format !== '' && format !== 'table' && format !== 'json';
}

/** Docker's column titles for the row fields no caller names: `RunningFor` → `RUNNING FOR`. */
function defaultHeader(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toUpperCase();
}

export interface RowFormatOptions {
  /** Column titles of a `table` format, by field name (the other fields get their name in upper case). */
  headers?: Record<string, string>;
}

/**
 * The `--format` of docker's list commands: each row through the template, one per line; `table ...` adds a header
 * row (the template over the fields' titles) and aligns the tab-separated columns as docker's tabwriter does.
 */
export function formatRows(format: string, rows: readonly object[], options: RowFormatOptions = {}): string {
  const table = format.startsWith('table');
  const source = (table ? format.slice('table'.length) : format).replace(/^ +| +$/g, '');
  const template = parse(source);
  const lines = rows.map((row) => `${run(template, row)}\n`);
  if (!table) return lines.join('');
  const fields = new Set([...Object.keys(options.headers ?? {}), ...rows.flatMap((r) => Object.keys(r))]);
  const titles = Object.fromEntries([...fields].map((f) => [f, options.headers?.[f] ?? defaultHeader(f)]));
  let header: string;
  try {
    header = template.execute(titles, { rootIsStruct: false, header: true });
  } catch {
    header = '';
  }
  return tabwrite(`${header}\n${lines.join('')}`);
}

/** The `--format` of docker's inspect commands: the template over each object, one result per line. */
export function formatInspect(format: string, items: readonly unknown[]): string {
  const template = parse(format);
  return items.map((item) => `${run(template, item)}\n`).join('');
}

function parse(source: string): GoTemplate {
  try {
    return new GoTemplate(source, { escapes: true });
  } catch (e) {
    if (e instanceof GoTemplateError) throw new GoTemplateError(`template parsing error: ${e.message}`);
    throw e;
  }
}

function run(template: GoTemplate, data: unknown): string {
  try {
    return template.execute(data);
  } catch (e) {
    if (e instanceof GoTemplateError) throw new GoTemplateError(`template parsing error: ${e.message}`);
    throw e;
  }
}

/**
 * Go's text/tabwriter as docker sets it up for tables (minimum cell width 10, padding 3, spaces): tab-terminated
 * cells form columns over runs of consecutive lines, each as wide as its widest cell plus the padding; the last
 * cell of a line is not padded.
 */
export function tabwrite(text: string, minWidth = 10, padding = 3): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const width = (s: string): number => [...s].length;
  const widths: number[] = [];
  const write = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      out.push(cells.map((c, j) => (j < widths.length && j < cells.length - 1 ? c + ' '.repeat(Math.max(0, widths[j]! - width(c))) : c)).join(''));
    }
  };
  const format = (from: number, to: number): void => {
    const column = widths.length;
    let start = from;
    for (let i = from; i < to; i++) {
      if (column >= lines[i]!.length - 1) continue;
      write(start, i);
      start = i;
      let w = minWidth;
      for (; i < to && column < lines[i]!.length - 1; i++) w = Math.max(w, width(lines[i]![column]!) + padding);
      widths.push(w);
      format(start, i);
      widths.pop();
      start = i;
      i--;
    }
    write(start, to);
  };
  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
