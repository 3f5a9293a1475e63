/**
 * A Community Template Gallery `.tpl` file: its `___SECTION___` parts, the
 * JSON ones parsed, `___TESTS___` read as the YAML GTM writes.
 */
import yaml from 'js-yaml';

export interface Scenario {
  name: string;
  code: string;
}

export interface Template {
  info: { type: string; containerContexts: string[]; displayName: string };
  parameters: Array<{ name: string; type: string }>;
  code: string;
  context: 'web' | 'server';
  permissions: Permission[];
  scenarios: Scenario[];
  setup: string;
}

export interface Permission {
  instance: { key: { publicId: string }; param: Array<{ key: string; value: PermissionValue }> };
}

export type PermissionValue =
  | { type: 1; string: string }
  | { type: 2; listItem: PermissionValue[] }
  | { type: 3; mapKey: PermissionValue[]; mapValue: PermissionValue[] }
  | { type: 8; boolean: boolean };

export function splitSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = text.replace(/^\uFEFF/, '').split(/^___([A-Z_]+)___$/m);
  for (let i = 1; i < parts.length; i += 2) sections.set(parts[i] as string, (parts[i + 1] ?? '').trim());
  return sections;
}

export function parseTemplate(text: string): Template {
  const sections = splitSections(text);
  const need = (name: string): string => {
    const section = sections.get(name);
    if (section === undefined) throw new Error(`no ___${name}___ section`);
    return section;
  };
  const context = sections.has('SANDBOXED_JS_FOR_SERVER') ? 'server' : 'web';
  const tests = (yaml.load(sections.get('TESTS') ?? '') ?? {}) as { scenarios?: Scenario[]; setup?: string };
  return {
    info: JSON.parse(need('INFO')) as Template['info'],
    parameters: JSON.parse(need('TEMPLATE_PARAMETERS')) as Template['parameters'],
    code: need(context === 'server' ? 'SANDBOXED_JS_FOR_SERVER' : 'SANDBOXED_JS_FOR_WEB_TEMPLATE'),
    context,
    permissions: JSON.parse(need(context === 'server' ? 'SERVER_PERMISSIONS' : 'WEB_PERMISSIONS')) as Permission[],
    scenarios: tests.scenarios ?? [],
    setup: tests.setup ?? '',
  };
}

/** A permission value as plain data: strings, booleans, arrays, objects. */
export function plain(value: PermissionValue): unknown {
  switch (value.type) {
    case 1:
      return value.string;
    case 8:
      return value.boolean;
    case 2:
      return value.listItem.map(plain);
    case 3:
      return Object.fromEntries(
        value.mapKey.map((key, i) => [plain(key), plain(value.mapValue[i] as PermissionValue)]),
      );
  }
}

/** `publicId` -> its params as plain data. */
export function grants(template: Template): Map<string, Record<string, unknown>> {
  return new Map(
    template.permissions.map((permission) => [
      permission.instance.key.publicId,
      Object.fromEntries(permission.instance.param.map((param) => [param.key, plain(param.value)])),
    ]),
  );
}
