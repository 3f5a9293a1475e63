/**
 * The server template run as sGTM runs a tag for one event: the event data
 * the GA4 client parsed, the request's cookies, the network (`fetch`: the
 * real one, or a stand-in that answers). Resolves when the tag calls
 * gtmOnSuccess or gtmOnFailure.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serverApis, type ServerEnvironment } from './server-apis.js';
import { templateRun } from './scenarios.js';
import { grants, parseTemplate, type Template } from './tpl.js';

export const SERVER_TEMPLATE_PATH = fileURLToPath(new URL('../../../gtm/server/template.tpl', import.meta.url));

let cached: Template | undefined;
export function serverTemplate(): Template {
  cached ??= parseTemplate(readFileSync(SERVER_TEMPLATE_PATH, 'utf8'));
  return cached;
}

export interface ServerTagRun {
  outcome: 'success' | 'failure';
  setCookies: ServerEnvironment['setCookies'];
  logs: string[];
}

export interface ServerTagOptions {
  data: Record<string, unknown>;
  eventData: Record<string, unknown>;
  cookies?: Record<string, string[]>;
  fetch: typeof fetch;
}

export function runServerTag(options: ServerTagOptions): Promise<ServerTagRun> {
  const template = serverTemplate();
  const env: ServerEnvironment = {
    eventData: options.eventData,
    cookies: options.cookies ?? {},
    setCookies: [],
    logs: [],
    fetch: options.fetch,
  };
  const run = templateRun(template, serverApis(env, grants(template)), new Map());
  return new Promise((resolve, reject) => {
    const settle = (outcome: ServerTagRun['outcome']) => () => {
      resolve({ outcome, setCookies: env.setCookies, logs: env.logs });
    };
    try {
      run.runCode({ ...options.data, gtmOnSuccess: settle('success'), gtmOnFailure: settle('failure') });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** A network that answers 200 and keeps each request's URL, headers and JSON body. */
export function capturingFetch(): {
  fetch: typeof fetch;
  requests: Array<{ url: string; init: RequestInit; body: unknown }>;
} {
  const requests: Array<{ url: string; init: RequestInit; body: unknown }> = [];
  const stand: typeof fetch = (input, init = {}) => {
    requests.push({ url: input as string, init, body: JSON.parse(init.body as string) as unknown });
    return Promise.resolve(new Response('{}', { status: 200 }));
  };
  return { fetch: stand, requests };
}
