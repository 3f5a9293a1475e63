/**
 * The GTM templates as GTM reads them: sections that parse, code inside
 * sandboxed JavaScript, permissions that cover what the code touches and
 * nothing more, their own ___TESTS___ passing, and the generated blocks as
 * the build writes them from the SDK's modules.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generatedTemplates } from '../../scripts/build-gtm.mjs';
import { literalArguments, sandboxViolations } from './runner/sandbox.js';
import { runScenario, TEST_GLOBALS } from './runner/scenarios.js';
import { grants, parseTemplate, splitSections } from './runner/tpl.js';

const file = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const TEMPLATES = { web: 'gtm/web/template.tpl', server: 'gtm/server/template.tpl' } as const;
const load = (name: keyof typeof TEMPLATES) => parseTemplate(readFileSync(file(TEMPLATES[name]), 'utf8'));

describe.each(Object.keys(TEMPLATES) as Array<keyof typeof TEMPLATES>)('gtm/%s/template.tpl', (name) => {
  const template = load(name);

  it('has the gallery sections, in order, and a metadata.yaml', () => {
    const sections = [...splitSections(readFileSync(file(TEMPLATES[name]), 'utf8')).keys()];
    const code = name === 'server' ? 'SANDBOXED_JS_FOR_SERVER' : 'SANDBOXED_JS_FOR_WEB_TEMPLATE';
    const permissions = name === 'server' ? 'SERVER_PERMISSIONS' : 'WEB_PERMISSIONS';
    expect(sections).toEqual(['TERMS_OF_SERVICE', 'INFO', 'TEMPLATE_PARAMETERS', code, permissions, 'TESTS', 'NOTES']);
    expect(template.info.containerContexts).toEqual([name.toUpperCase()]);
    const metadata = yaml.load(readFileSync(file(`gtm/${name}/metadata.yaml`), 'utf8')) as Record<string, unknown>;
    expect(typeof metadata['homepage'] === 'string' && typeof metadata['documentation'] === 'string').toBe(true);
    const versions = metadata['versions'] as Array<{ sha: unknown; changeNotes: unknown }>;
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((version) => /^[0-9a-f]{40}$/.test(String(version.sha)) && !!version.changeNotes)).toBe(true);
  });

  it('takes the parameters the integration names', () => {
    const names = template.parameters.map((parameter) => parameter.name);
    const common = ['apiKey', 'environment', 'region', 'endpoint'];
    const web = ['scriptUrl', 'eventType', 'productId', 'itemGroupId', 'categoryId', 'sellerId', 'brand'];
    expect(names).toEqual(
      name === 'server' ? common : [...common, ...web, 'orderId', 'items', 'customerData', 'userData'],
    );
  });

  it('is sandboxed JavaScript, its tests too', () => {
    expect(sandboxViolations(template.code, ['require', 'data'])).toEqual([]);
    for (const scenario of template.scenarios) {
      expect(sandboxViolations(`${template.setup}\n${scenario.code}`, TEST_GLOBALS), scenario.name).toEqual([]);
    }
  });

  it.each(template.scenarios.map((scenario) => [scenario.name, scenario.code]))('scenario: %s', (_, code) => {
    runScenario(template, code);
  });
});

describe('the sandbox check', () => {
  it.each([
    ['new Date()', '`new`'],
    ['const a = this;', '`this`'],
    ["const a = /x/.test('x');", 'regular expression'],
    ['class A {}', 'classes'],
    ['const a = `x`;', 'template literals'],
    ['const { a } = data;', 'destructuring'],
    ['const a = [...data.x];', 'spread'],
    ['for (const a of data.x) {}', '`for…of`'],
    ['const a = window.location;', '`window`'],
    ['const a = { b() {} };', 'property form'],
    ['const a = 1; a = async () => 1;', 'parse'],
  ])('refuses %s', (code, problem) => {
    expect(sandboxViolations(code, ['require', 'data']).join('\n')).toContain(problem);
  });

  it('accepts ES5 with let, const and arrows, and a top-level return', () => {
    expect(
      sandboxViolations("const f = (x) => x + 1; let y = f(data.a); if (!y) return; require('JSON');", [
        'require',
        'data',
      ]),
    ).toEqual([]);
  });
});

describe('permissions', () => {
  it('the web tag: the tag script URLs, the Symbiosys global, the ecommerce key, two consent types', () => {
    const web = grants(load('web'));
    expect([...web.keys()]).toEqual(['inject_script', 'access_globals', 'read_data_layer', 'access_consent']);
    expect(web.get('read_data_layer')).toEqual({ allowedKeys: 'specific', keyPatterns: ['ecommerce'] });
    const keys = (web.get('access_globals')?.['keys'] as Array<{ key: string }>).map((entry) => entry.key);
    expect(keys.every((key) => key === 'Symbiosys' || key.startsWith('Symbiosys.'))).toBe(true);
  });

  // The permission each API the templates require needs (none for the others: JSON, getType, sha256Sync, …).
  const NEEDS: Record<string, string> = {
    injectScript: 'inject_script',
    copyFromWindow: 'access_globals',
    setInWindow: 'access_globals',
    callInWindow: 'access_globals',
    createQueue: 'access_globals',
    copyFromDataLayer: 'read_data_layer',
    isConsentGranted: 'access_consent',
    addConsentListener: 'access_consent',
    getEventData: 'read_event_data',
    getCookieValues: 'get_cookies',
    setCookie: 'set_cookies',
    sendHttpRequest: 'send_http',
    logToConsole: 'logging',
  };

  it.each(['web', 'server'] as const)(
    'the %s tag asks for the permissions of the APIs it requires, no others',
    (name) => {
      const template = load(name);
      const required = literalArguments(template.code, 'require');
      const needed = new Set(required.flatMap((api) => (NEEDS[api] ? [NEEDS[api]] : [])));
      expect(new Set(grants(template).keys())).toEqual(needed);
    },
  );

  it('the server tag reads exactly the event keys it is granted, and the two cookies', () => {
    const server = load('server');
    const granted = grants(server);
    expect(new Set(literalArguments(server.code, 'getEventData'))).toEqual(
      new Set(granted.get('read_event_data')?.['keyPatterns'] as string[]),
    );
    expect(granted.get('get_cookies')).toEqual({ cookieAccess: 'specific', cookieNames: ['_sym_vid', '_sym_sid'] });
  });

  it('the web tag calls exactly the SDK methods it may execute', () => {
    const web = load('web');
    const keys = grants(web).get('access_globals')?.['keys'] as Array<{ key: string; execute: boolean }>;
    const executable = keys.filter((entry) => entry.execute).map((entry) => entry.key.replace('Symbiosys.', ''));
    expect(new Set(literalArguments(web.code, 'call'))).toEqual(new Set(executable));
  });

  it('refuses what is not granted, as GTM does', () => {
    // Without the scenarios' setup, whose mocks stand in for the APIs.
    const web = { ...load('web'), setup: '' };
    web.permissions = web.permissions.filter((permission) => permission.instance.key.publicId !== 'inject_script');
    expect(() => runScenario(web, "runCode({ apiKey: 'k', eventType: 'page_view' });")).toThrow(/injectScript/);
    const server = { ...load('server'), setup: '' };
    server.permissions = server.permissions.filter((permission) => permission.instance.key.publicId !== 'get_cookies');
    const pageView = "mock('getEventData', (key) => ({ event_name: 'page_view' })[key]); runCode({ apiKey: 'k' });";
    expect(() => runScenario(server, pageView)).toThrow(/getCookieValues/);
  });
});

describe('generated blocks', () => {
  it('are what scripts/build-gtm.mjs writes from the SDK modules (npm run build:gtm)', async () => {
    for (const [path, text] of Object.entries(await generatedTemplates())) {
      const committed = readFileSync(path, 'utf8');
      // Unicode data from another ICU than the one that wrote it differs without the template being stale.
      const unicode = /from the SDK's modules and Unicode ([\d.]+)/.exec(committed)?.[1];
      const comparable = (template: string) =>
        unicode === undefined || unicode === process.versions.unicode
          ? template
          : template.replace(/^(\/\/ Generated by|const UNICODE_).*$/gm, '');
      expect(comparable(committed) === comparable(text), `${path} is stale: run npm run build:gtm`).toBe(true);
    }
  });
});
