/**
 * Sandboxed JavaScript, checked on the syntax tree: ECMAScript 5.1 with
 * `let`/`const` and arrow functions, and none of what the sandbox lacks
 * (`new`, `this`, regular expression literals, classes, template literals,
 * destructuring, spread, `for…of`, generators, getters and setters), and no
 * global but `require` and `data` (and, in tests, the test API).
 */
import { parse, type Node } from 'acorn';
import { runInNewContext } from 'node:vm';

const FORBIDDEN: Record<string, string> = {
  NewExpression: '`new`',
  ThisExpression: '`this`',
  ClassDeclaration: 'classes',
  ClassExpression: 'classes',
  TemplateLiteral: 'template literals',
  TaggedTemplateExpression: 'template literals',
  SpreadElement: 'spread',
  RestElement: 'rest parameters',
  ObjectPattern: 'destructuring',
  ArrayPattern: 'destructuring',
  AssignmentPattern: 'default parameters',
  ForOfStatement: '`for…of`',
  YieldExpression: 'generators',
  WithStatement: '`with`',
  MetaProperty: '`new.target`',
  Super: '`super`',
};

/** The one name a program may use without declaring it (`NaN` and `Infinity` are globals the sandbox need not have). */
const LANGUAGE = new Set(['undefined']);

/** Every node of the tree, parents first. */
function full(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child && typeof (child as Node).type === 'string' && typeof (child as Node).start === 'number') {
        full(child as Node, visit);
      }
    }
  }
}

/** What the sandbox lacks, wherever it appears. */
function syntaxProblems(ast: Node): string[] {
  const problems: string[] = [];
  full(ast, (node) => {
    const any = node as Node & Record<string, unknown>;
    const what = FORBIDDEN[node.type];
    if (what) problems.push(`${what} at ${node.start}`);
    if (node.type === 'Literal' && any['regex']) problems.push(`a regular expression literal at ${node.start}`);
    if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && any['generator']) {
      problems.push(`a generator at ${node.start}`);
    }
    if (node.type === 'Property' && (any['kind'] !== 'init' || any['method'] || any['shorthand'] || any['computed'])) {
      problems.push(`an ES2015 property form at ${node.start}`);
    }
  });
  return problems;
}

/** Every name the program declares, anywhere (variables, functions, parameters, catch bindings). */
function declaredNames(ast: Node): Set<string> {
  const declared = new Set<string>();
  full(ast, (node) => {
    const any = node as Node & Record<string, unknown>;
    if (node.type === 'VariableDeclarator') declared.add((any['id'] as { name: string }).name);
    if (node.type.startsWith('Function') || node.type === 'ArrowFunctionExpression') {
      const id = any['id'] as { name: string } | null;
      if (id) declared.add(id.name);
      for (const param of any['params'] as Array<{ name: string }>) declared.add(param.name);
    }
    if (node.type === 'CatchClause' && any['param']) declared.add((any['param'] as { name: string }).name);
  });
  return declared;
}

/** Where each kind of node reads values (property names and object keys are not reads). */
const READ_CHILDREN: Record<string, readonly string[]> = {
  MemberExpression: ['object'],
  Property: ['value'],
  CallExpression: ['callee', 'arguments'],
  BinaryExpression: ['left', 'right'],
  LogicalExpression: ['left', 'right'],
  AssignmentExpression: ['left', 'right'],
  UnaryExpression: ['argument'],
  UpdateExpression: ['argument'],
  ReturnStatement: ['argument'],
  ThrowStatement: ['argument'],
  ConditionalExpression: ['test', 'consequent', 'alternate'],
  IfStatement: ['test'],
  WhileStatement: ['test'],
  DoWhileStatement: ['test'],
  ForStatement: ['test', 'update'],
  ForInStatement: ['right'],
  VariableDeclarator: ['init'],
  ArrayExpression: ['elements'],
  ExpressionStatement: ['expression'],
  SequenceExpression: ['expressions'],
  SwitchStatement: ['discriminant'],
  SwitchCase: ['test'],
};

/** Identifiers read as values. A computed member (`a[b]`) reads `b`; an arrow's expression body is read. */
function readNames(ast: Node): Array<{ name: string; at: number }> {
  const used: Array<{ name: string; at: number }> = [];
  const read = (child: unknown) => {
    for (const item of Array.isArray(child) ? child : [child]) {
      const id = item as { type?: string; name?: string; start?: number } | null | undefined;
      if (id?.type === 'Identifier' && id.name) used.push({ name: id.name, at: id.start ?? 0 });
    }
  };
  full(ast, (node) => {
    const any = node as Node & Record<string, unknown>;
    for (const key of READ_CHILDREN[node.type] ?? []) read(any[key]);
    if (node.type === 'MemberExpression' && any['computed']) read(any['property']);
    if (node.type === 'ArrowFunctionExpression' && any['expression']) read(any['body']);
  });
  return used;
}

export function sandboxViolations(code: string, globals: readonly string[]): string[] {
  let ast: Node;
  try {
    ast = parse(code, { ecmaVersion: 2015, sourceType: 'script', allowReturnOutsideFunction: true });
  } catch (error) {
    return [`does not parse as ECMAScript 2015: ${(error as Error).message}`];
  }
  const declared = new Set([...globals, ...LANGUAGE, ...declaredNames(ast)]);
  const globalsUsed = readNames(ast).filter(({ name }) => !declared.has(name));
  return [...syntaxProblems(ast), ...globalsUsed.map(({ name, at }) => `the global \`${name}\` at ${at}`)];
}

/** Runs checked code with only `require` and `data` (plus `extra`) in scope; top-level `return` allowed. */
export function runSandboxed(code: string, scope: Record<string, unknown>): void {
  const names = Object.keys(scope);
  const fn = runInNewContext(`(function (${names.join(', ')}) {\n${code}\n})`, {}) as (...args: unknown[]) => void;
  fn(...names.map((name) => scope[name]));
}

/** The string literals passed first to each call of `callee` (`getEventData('items')` -> `items`). */
export function literalArguments(code: string, callee: string): string[] {
  const ast = parse(code, { ecmaVersion: 2015, sourceType: 'script', allowReturnOutsideFunction: true });
  const out: string[] = [];
  full(ast, (node) => {
    const any = node as Node & Record<string, unknown>;
    if (node.type !== 'CallExpression') return;
    const name = (any['callee'] as { type: string; name?: string }).name;
    const [first] = any['arguments'] as Array<{ type: string; value?: unknown }>;
    if (name === callee && first?.type === 'Literal' && typeof first.value === 'string') out.push(first.value);
  });
  return out;
}
