/**
 * The consent adapters' state mapping, signal by signal and over every
 * combination (fast-check): the TCF CMP's `TCData` and Consent Mode's
 * commands become the two decisions, storage and user data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyConsentCommand,
  consentCommand,
  consentModeDecisions,
  type ConsentCommand,
  type ConsentModeState,
} from '../../src/browser/consent-google.js';
import { tcfDecisions, type TcfData } from '../../src/browser/consent-tcf.js';

const VENDOR = 1234;
const consents = (...purposes: number[]) => Object.fromEntries(purposes.map((p) => [p, true]));
const loaded = (purposes: number[], extra: Partial<TcfData> = {}): TcfData => ({
  gdprApplies: true,
  eventStatus: 'tcloaded',
  purpose: { consents: consents(...purposes) },
  vendor: { consents: { [VENDOR]: true } },
  ...extra,
});

describe('TCF: TCData to decisions', () => {
  it('the banner open (cmpuishown) is pending; GDPR not applying is granted', () => {
    expect(tcfDecisions({ gdprApplies: true, eventStatus: 'cmpuishown' })).toEqual({
      storage: 'pending',
      userData: 'pending',
    });
    expect(tcfDecisions({ gdprApplies: false, eventStatus: 'tcloaded' })).toEqual({
      storage: 'granted',
      userData: 'granted',
    });
  });

  it('acts on tcloaded and useractioncomplete only', () => {
    expect(tcfDecisions(loaded([1, 7]))).toEqual({ storage: 'granted', userData: 'granted' });
    expect(tcfDecisions(loaded([1, 7], { eventStatus: 'useractioncomplete' }))).toEqual({
      storage: 'granted',
      userData: 'granted',
    });
    expect(tcfDecisions(loaded([1, 7], { eventStatus: 'other' }))).toBeUndefined();
    expect(tcfDecisions(loaded([1, 7], { eventStatus: undefined }))).toBeUndefined();
  });

  it('storage needs purpose 1; user data needs purposes 1 and 7 by default, or the ones named', () => {
    expect(tcfDecisions(loaded([1]))).toEqual({ storage: 'granted', userData: 'denied' });
    expect(tcfDecisions(loaded([7]))).toEqual({ storage: 'denied', userData: 'denied' });
    expect(tcfDecisions(loaded([1, 7]), { purposes: [1, 7, 9] })).toEqual({ storage: 'granted', userData: 'denied' });
    expect(tcfDecisions(loaded([1, 7, 9]), { purposes: [1, 7, 9] })).toEqual({
      storage: 'granted',
      userData: 'granted',
    });
  });

  it('with vendorId: no vendor consent denies both; a publisher restriction disallowing a purpose denies it', () => {
    const noVendor = loaded([1, 7], { vendor: { consents: { 99: true } } });
    expect(tcfDecisions(noVendor, { vendorId: VENDOR })).toEqual({ storage: 'denied', userData: 'denied' });
    expect(tcfDecisions(noVendor)).toEqual({ storage: 'granted', userData: 'granted' });
    for (const type of [0, 2]) {
      const restricted = loaded([1, 7], { publisher: { restrictions: { 7: { [VENDOR]: type } } } });
      expect(tcfDecisions(restricted, { vendorId: VENDOR })).toEqual({ storage: 'granted', userData: 'denied' });
    }
    const consentOnly = loaded([1, 7], { publisher: { restrictions: { 7: { [VENDOR]: 1 } } } });
    expect(tcfDecisions(consentOnly, { vendorId: VENDOR })).toEqual({ storage: 'granted', userData: 'granted' });
  });

  const tcData = fc.record(
    {
      gdprApplies: fc.constantFrom(true, false, undefined),
      eventStatus: fc.constantFrom('tcloaded', 'useractioncomplete', 'cmpuishown', 'other', undefined),
      purpose: fc.record({ consents: fc.dictionary(fc.integer({ min: 1, max: 11 }).map(String), fc.boolean()) }),
      vendor: fc.record({ consents: fc.dictionary(fc.constantFrom('1234', '99'), fc.boolean()) }),
      publisher: fc.record({
        restrictions: fc.dictionary(
          fc.integer({ min: 1, max: 11 }).map(String),
          fc.dictionary(fc.constantFrom('1234', '99'), fc.integer({ min: 0, max: 2 })),
        ),
      }),
    },
    { requiredKeys: [] },
  );
  const tcfOptions = fc.record(
    {
      purposes: fc.uniqueArray(fc.integer({ min: 1, max: 11 }), { maxLength: 4 }),
      vendorId: fc.constantFrom(VENDOR, 99),
    },
    { requiredKeys: [] },
  );

  it('no combination grants user data without storage, or either without the consents it needs', () => {
    fc.assert(
      fc.property(tcData, tcfOptions, (data, options) => {
        const decisions = tcfDecisions(data, options);
        if (!decisions) return;
        if (decisions.userData === 'granted') expect(decisions.storage).toBe('granted');
        if (decisions.storage === 'pending' || decisions.userData === 'pending') {
          expect(data.eventStatus).toBe('cmpuishown');
        }
        if (data.gdprApplies === false) return;
        const consented = (purpose: number) => data.purpose?.consents[purpose] === true;
        const vendorOk = options.vendorId === undefined || data.vendor?.consents[options.vendorId] === true;
        if (decisions.storage === 'granted') expect(consented(1) && vendorOk).toBe(true);
        if (decisions.userData === 'granted') {
          expect((options.purposes ?? [1, 7]).every(consented)).toBe(true);
        }
      }),
    );
  });
});

describe('Consent Mode: commands to decisions', () => {
  // An `arguments` object, as gtag pushes it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- read through `arguments`
  function argumentsOf(...args: unknown[]): IArguments {
    // eslint-disable-next-line prefer-rest-params -- gtag pushes exactly this kind of object
    return arguments;
  }
  const run = (...commands: ConsentCommand[]) => consentModeDecisions(commands.reduce(applyConsentCommand, {}));

  it('reads gtag arguments objects and arrays; ignores everything else', () => {
    expect(consentCommand(argumentsOf('consent', 'default', { ad_storage: 'denied' }))).toEqual({
      command: 'default',
      params: { ad_storage: 'denied' },
    });
    expect(consentCommand(['consent', 'update', { ad_user_data: 'granted' }])).toMatchObject({ command: 'update' });
    for (const other of [
      { event: 'gtm.js' },
      ['config', 'G-1'],
      ['consent', 'reset', {}],
      ['consent', 'update'],
      null,
      7,
    ]) {
      expect(consentCommand(other)).toBeUndefined();
    }
  });

  it('a denied default is pending; an update decides; a v1 setup (no ad_user_data) sends no user data', () => {
    const denied = { command: 'default', params: { ad_storage: 'denied', ad_user_data: 'denied' } } as const;
    expect(run()).toEqual({ storage: 'pending', userData: 'denied' });
    expect(run(denied)).toEqual({ storage: 'pending', userData: 'pending' });
    expect(run(denied, { command: 'update', params: { ad_storage: 'granted', ad_user_data: 'granted' } })).toEqual({
      storage: 'granted',
      userData: 'granted',
    });
    expect(run(denied, { command: 'update', params: { ad_storage: 'granted', ad_user_data: 'denied' } })).toEqual({
      storage: 'granted',
      userData: 'denied',
    });
    expect(run(denied, { command: 'update', params: { ad_storage: 'denied', ad_user_data: 'denied' } })).toEqual({
      storage: 'denied',
      userData: 'denied',
    });
    expect(run({ command: 'update', params: { ad_storage: 'granted' } })).toEqual({
      storage: 'granted',
      userData: 'denied',
    });
  });

  it('a default never overrides an update, and a region-scoped default never grants', () => {
    const update = { command: 'update', params: { ad_storage: 'granted', ad_user_data: 'granted' } } as const;
    expect(run(update, { command: 'default', params: { ad_storage: 'denied', ad_user_data: 'denied' } })).toEqual({
      storage: 'granted',
      userData: 'granted',
    });
    const eu = { command: 'default', params: { ad_storage: 'denied', region: ['ES', 'FR'] } } as const;
    const global = { command: 'default', params: { ad_storage: 'granted' } } as const;
    expect(run(eu, global).storage).toBe('pending');
    expect(run(global, eu).storage).toBe('pending');
    expect(run({ command: 'default', params: { ad_storage: 'granted', region: ['US'] } }).storage).toBe('pending');
  });

  const signal = fc.constantFrom('granted', 'denied', undefined, 'bogus');
  const command = fc.record({
    command: fc.constantFrom('default' as const, 'update' as const),
    params: fc.record(
      { ad_storage: signal, ad_user_data: signal, region: fc.constantFrom(['ES'], []) },
      { requiredKeys: [] },
    ),
  });

  it('over any command sequence: user data never outruns the signals, only an update denies', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 8 }), (commands) => {
        const state: ConsentModeState = commands.reduce(applyConsentCommand, {});
        const { storage, userData } = consentModeDecisions(state);
        const updates = commands.filter((c) => c.command === 'update');
        const lastUpdate = (name: 'ad_storage' | 'ad_user_data') =>
          updates
            .map((c) => c.params[name])
            .filter((v) => v === 'granted' || v === 'denied')
            .at(-1);
        // Only the visitor (an update) denies; a decided signal is the last update's.
        if (storage === 'denied') expect(lastUpdate('ad_storage')).toBe('denied');
        if (lastUpdate('ad_storage') !== undefined) expect(storage).toBe(lastUpdate('ad_storage'));
        if (lastUpdate('ad_user_data') !== undefined) expect(userData).toBe(lastUpdate('ad_user_data'));
        // Granted only by a command that said so.
        const said = (name: 'ad_storage' | 'ad_user_data') => commands.some((c) => c.params[name] === 'granted');
        if (storage === 'granted') expect(said('ad_storage')).toBe(true);
        if (userData === 'granted') expect(said('ad_user_data')).toBe(true);
      }),
    );
  });
});
