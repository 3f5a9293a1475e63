/**
 * Hover docs, through TypeScript's language service as an editor asks for
 * them: every name the package entries export, every event field a caller
 * types (page view, order, order line, person, the server's events) and
 * every option has a doc comment. The event fields' docs are written once,
 * in the field table (`src/core/fields.ts`), and reach the input types
 * through them.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/core/fields.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = ['src/index.ts', 'src/server/index.ts'];
const PROBE = `${ROOT}test/core/hover-probe.ts`;

/** The public input types, by the entry that exports them. */
const INPUT_TYPES: Record<string, readonly string[]> = {
  '../../src/index.js': [
    'PageViewInput',
    'OrderInput',
    'OrderItem',
    'Person',
    'Profile',
    'ClientOptions',
    'TrackOptions',
  ],
  '../../src/server/index.js': [
    'ServerPageViewInput',
    'ServerOrderInput',
    'ServerClientOptions',
    'BatchOptions',
    'RetryOptions',
  ],
};

/** Object literals of each public input type, naming every key a caller may type (checked by the compiler). */
const PROBE_SOURCE = [
  ...Object.entries(INPUT_TYPES).map(([entry, names]) => `import type { ${names.join(', ')} } from '${entry}';`),
  'export const probes = {',
  ...Object.values(INPUT_TYPES)
    .flat()
    .map((name) => `  ${name}: {} as Required<${name}>,`),
  '};',
].join('\n');

function languageService(): ts.LanguageService {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${ROOT}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const files = [...ENTRIES.map((entry) => `${ROOT}${entry}`), PROBE];
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => files,
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = name === PROBE ? PROBE_SOURCE : ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === PROBE || ts.sys.fileExists(name),
    readFile: (name) => (name === PROBE ? PROBE_SOURCE : ts.sys.readFile(name)),
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

const service = languageService();
const checker = service.getProgram()!.getTypeChecker();

/** The doc text an editor shows when hovering at `position` of `file`. */
function hover(file: string, position: number): string {
  const info = service.getQuickInfoAtPosition(file, position);
  return ts.displayPartsToString(info?.documentation ?? []).trim();
}

describe('hover docs', () => {
  it.each(ENTRIES)('every name %s exports has one', (entry) => {
    const file = `${ROOT}${entry}`;
    const source = service.getProgram()!.getSourceFile(file)!;
    const undocumented: string[] = [];
    let names = 0;
    source.forEachChild((node) => {
      if (!ts.isExportDeclaration(node) || !node.exportClause || !ts.isNamedExports(node.exportClause)) return;
      for (const specifier of node.exportClause.elements) {
        names += 1;
        if (hover(file, specifier.name.getStart(source)) === '') undocumented.push(specifier.name.text);
      }
    });
    expect(names).toBeGreaterThan(10);
    expect(undocumented).toEqual([]);
  });

  it('every field and option of every public input type has one', () => {
    const probe = service.getProgram()!.getSourceFile(PROBE)!;
    const symbol = checker.getSymbolAtLocation(
      (probe.statements.at(-1) as ts.VariableStatement).declarationList.declarations[0]!.name,
    )!;
    const probes = checker.getTypeOfSymbol(symbol);
    const undocumented: string[] = [];
    const seen = new Set<string>();
    for (const probeType of probes.getProperties()) {
      for (const field of checker.getTypeOfSymbol(probeType).getProperties()) {
        seen.add(field.name);
        const docs = ts.displayPartsToString(field.getDocumentationComment(checker)).trim();
        if (docs === '') undocumented.push(`${probeType.name}.${field.name}`);
      }
    }
    expect(undocumented).toEqual([]);
    // Every caller-facing field of the table is among them, so the table's docs are what reaches the types.
    const callerFields = Object.entries(FIELDS)
      .filter(([, spec]) => spec.source !== 'person')
      .map(([name]) => name);
    expect(callerFields.filter((name) => !seen.has(name))).toEqual([]);
  });
});
