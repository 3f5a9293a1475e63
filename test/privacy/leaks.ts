/**
 * Looks for raw PII in what the SDK put on the wire. Shared by the
 * request-level property test and the real-Chromium test.
 *
 * How a raw value is looked for (and why this way): every byte of a request
 * is either structural or free text.
 * - Structural parts have a fixed shape and are checked by shape, not by
 *   substring: parameter and JSON key names (a known list), `hashed_*` (64
 *   lowercase hex), `vid` (45 hex), `ts`/`sid` (digits), quantities and prices
 *   (numbers). A substring search there only finds coincidences: a 4-letter
 *   name such as `face` or a 5-digit ZIP sits inside some 64-hex hash or
 *   13-digit timestamp sooner or later over thousands of runs. A raw value
 *   cannot hide in them either: it would break the shape.
 * - Free text (`page_url`, ids, `brand`, channel, user agent, …) is searched
 *   for every raw value, case-insensitively, as sent (percent-encoded) and
 *   decoded up to three times (an address encoded in the page URL, which is
 *   encoded again as a query value, is found at the second or third level).
 *   Values are searched one by one, never the joined URL, so no match can
 *   span two parameters (`…5&ts=…`).
 * - A raw value is searched only when it has 4 characters or more, is not a
 *   64-hex value (pre-hashed input goes through by design), and is not part
 *   of the non-PII text the test itself gave (a random name `shop` inside
 *   `https://shop.example/`).
 * - Addresses (with `@`) are also searched in the whole request, raw and
 *   decoded: `@` never occurs in the structure, so that search has no
 *   coincidences.
 */

/** A raw PII value given to the SDK, under the field it was given as. */
export interface Probe {
  field: string;
  /** Lowercased: every comparison is case-insensitive. */
  text: string;
}

export const HEX64 = /^[0-9a-f]{64}$/;
const ANY_HEX64 = /^[0-9a-fA-F]{64}$/;

const PII_FIELDS = [
  'email',
  'phone',
  'phone_e164',
  'first_name',
  'last_name',
  'city',
  'state',
  'zip_code',
  'date_of_birth',
] as const;

/** The spellings of a value worth searching for: as given, trimmed, NFC; digits of a phone; at least 4 characters. */
export function probesOf(person: Readonly<Record<string, unknown>> | undefined, role: string): Probe[] {
  if (!person) return [];
  const out = new Map<string, Probe>();
  const add = (field: string, text: string) => {
    if (text.length < 4 || ANY_HEX64.test(text.trim())) return;
    const lower = text.toLowerCase();
    out.set(`${field}\u0000${lower}`, { field: `${role}.${field}`, text: lower });
  };
  for (const field of PII_FIELDS) {
    const value = person[field];
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    for (const text of [value, trimmed, trimmed.normalize('NFC'), trimmed.normalize('NFD')]) add(field, text);
    if (field === 'phone' || field === 'phone_e164') {
      // The normalized-but-unhashed forms are raw PII too.
      const digits = value.replace(/\D/g, '');
      if (digits.length >= 7) {
        add(field, digits);
        add(field, `+${digits}`);
      }
    }
  }
  return [...out.values()];
}

/** `decodeURIComponent` that keeps text with a malformed escape as it is. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The text and its decodings, up to three levels, without repeats. */
export function decodings(text: string): string[] {
  const out = [text];
  for (let i = 0; i < 3; i++) {
    const next = safeDecode(out[out.length - 1]!);
    if (next === out[out.length - 1]) break;
    out.push(next);
  }
  return out;
}

/** One raw value found where it must not be. */
export interface Leak {
  field: string;
  value: string;
  where: string;
}

/**
 * Searches `texts` (each already lowercased by the caller or not: compared
 * lowercased here) for every probe not part of `ownText` (the test's own
 * non-PII input, lowercased).
 */
export function findLeaks(
  probes: readonly Probe[],
  texts: ReadonlyArray<readonly [where: string, text: string]>,
  ownText: string,
): Leak[] {
  const leaks: Leak[] = [];
  const live = probes.filter((probe) => !ownText.includes(probe.text));
  for (const [where, text] of texts) {
    const lower = text.toLowerCase();
    for (const probe of live)
      if (lower.includes(probe.text)) leaks.push({ field: probe.field, value: probe.text, where });
  }
  return leaks;
}

/** Probes that are email addresses: searched in the whole request (see above). */
export function addressProbes(probes: readonly Probe[]): Probe[] {
  return probes.filter((probe) => probe.text.includes('@'));
}

// Distinctive probes for error messages, which are fixed English templates
// with field names and small numbers: an address, non-ASCII text, or 7+ digits.
const DISTINCTIVE = /@|\P{ASCII}|\d{7}/u;

/** A problem for each reported error whose code, field or message holds a distinctive raw value. */
export function errorLeaks(
  errors: ReadonlyArray<{ code: string; field?: string | undefined; message: string }>,
  probes: readonly Probe[],
): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const text = `${error.code} ${error.field ?? ''} ${error.message}`.toLowerCase();
    for (const probe of probes)
      if (DISTINCTIVE.test(probe.text) && text.includes(probe.text))
        out.push(`raw ${probe.field} in error ${error.code}`);
  }
  return out;
}
