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

/** Names a program may use without declaring them: ECMAScript's literals-by-name. */
const LANGUAGE = new Set(['undefined', 'NaN', 'Infinity']);

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

export function sandboxViolations(code: string, globals: readonly string[]): string[] {
  let ast: Node;
  try {
    ast = parse(code, { ecmaVersion: 2015, sourceType: 'script', allowReturnOutsideFunction: true });
  } catch (error) {
    return [`does not parse as ECMAScript 2015: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const declared = new Set([...globals, ...LANGUAGE]);
  const used: Array<{ name: string; at: number }> = [];
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
    if (node.type === 'VariableDeclarator') declared.add((any['id'] as { name: string }).name);
    if (node.type.startsWith('Function') || node.type === 'ArrowFunctionExpression') {
      const id = any['id'] as { name: string } | null;
      if (id) declared.add(id.name);
      for (const param of any['params'] as Array<{ type: string; name: string }>) declared.add(param.name);
    }
    if (node.type === 'CatchClause' && any['param']) declared.add((any['param'] as { name: string }).name);
  });
  // Identifiers read as values (not property names or object keys).
  full(ast, (node) => {
    const any = node as Node & Record<string, unknown>;
    const check = (child: unknown) => {
      const id = child as { type?: string; name?: string; start?: number } | null | undefined;
      if (id?.type === 'Identifier' && id.name) used.push({ name: id.name, at: id.start ?? 0 });
    };
    switch (node.type) {
      case 'MemberExpression':
        check(any['object']);
        if (any['computed']) check(any['property']);
        break;
      case 'Property':
        check(any['value']);
        break;
      case 'CallExpression':
        check(any['callee']);
        (any['arguments'] as unknown[]).forEach(check);
        break;
      case 'BinaryExpression':
      case 'LogicalExpression':
      case 'AssignmentExpression':
        check(any['left']);
        check(any['right']);
        break;
      case 'UnaryExpression':
      case 'UpdateExpression':
      case 'SpreadElement':
        check(any['argument']);
        break;
      case 'ReturnStatement':
      case 'ThrowStatement':
        check(any['argument']);
        break;
      case 'ConditionalExpression':
        check(any['test']);
        check(any['consequent']);
        check(any['alternate']);
        break;
      case 'IfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        check(any['test']);
        break;
      case 'ForStatement':
        check(any['test']);
        check(any['update']);
        break;
      case 'ForInStatement':
        check(any['right']);
        break;
      case 'VariableDeclarator':
        check(any['init']);
        break;
      case 'ArrayExpression':
        (any['elements'] as unknown[]).forEach(check);
        break;
      case 'ExpressionStatement':
        check(any['expression']);
        break;
      case 'ArrowFunctionExpression':
        if (any['expression']) check(any['body']);
        break;
      case 'SequenceExpression':
        (any['expressions'] as unknown[]).forEach(check);
        break;
    }
  });
  for (const { name, at } of used) if (!declared.has(name)) problems.push(`the global \`${name}\` at ${at}`);
  return problems;
}

/** Runs checked code with only `require` and `data` (plus `extra`) in scope; top-level `return` allowed. */
export function runSandboxed(code: string, scope: Record<string, unknown>): void {
  const names = Object.keys(scope);
  const fn = runInNewContext(`(function (${names.join(', ')}) {\n${code}\n})`, {}) as (...args: unknown[]) => void;
  fn(...names.map((name) => scope[name]));
}
