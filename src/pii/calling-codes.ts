/**
 * Country calling codes (ITU-T E.164) for every ISO 3166-1 alpha-2 country,
 * plus AC (Ascension), TA (Tristan da Cunha) and XK (Kosovo), which have
 * codes of their own. Non-geographic codes (+800, +881, …) are left out: a
 * person's phone is not one.
 *
 * Packed to ship in the browser bundle: each calling code is followed by the
 * countries that use it, two letters each ("44GBGGIMJE"). Parsed on first use.
 */
const PACKED =
  '1AGAIASBBBMBSCADMDOGDGUJMKNKYLCMPMSPRSXTCTTUMUSVCVGVI7KZRU20EG27ZA30GR31NL32BE33FR34ES36HU39ITVA' +
  '40RO41CH43AT44GBGGIMJE45DK46SE47BVNOSJ48PL49DE51PE52MX53CU54AR55BR56CL57CO58VE60MY61AUCCCX62ID' +
  '63PH64NZPN65SG66TH81JP82KR84VN86CN90TR91IN92PK93AF94LK95MM98IR211SS212EHMA213DZ216TN218LY220GM' +
  '221SN222MR223ML224GN225CI226BF227NE228TG229BJ230MU231LR232SL233GH234NG235TD236CF237CM238CV239ST' +
  '240GQ241GA242CG243CD244AO245GW246IO247AC248SC249SD250RW251ET252SO253DJ254KE255TZ256UG257BI258MZ' +
  '260ZM261MG262RETFYT263ZW264NA265MW266LS267BW268SZ269KM290SHTA291ER297AW298FO299GL350GI351PT352LU' +
  '353IE354IS355AL356MT357CY358AXFI359BG370LT371LV372EE373MD374AM375BY376AD377MC378SM380UA381RS' +
  '382ME383XK385HR386SI387BA389MK420CZ421SK423LI500FKGS501BZ502GT503SV504HN505NI506CR507PA508PM' +
  '509HT590BLGPMF591BO592GY593EC594GF595PY596MQ597SR598UY599BQCW670TL672AQHMNF673BN674NR675PG' +
  '676TO677SB678VU679FJ680PW681WF682CK683NU685WS686KI687NC688TV689PF690TK691FM692MH850KP852HK' +
  '853MO855KH856LA880BD886TW960MV961LB962JO963SY964IQ965KW966SA967YE968OM970PS971AE972IL973BH' +
  '974QA975BT976MN977NP992TJ993TM994AZ995GE996KG998UZ';

let byCountry: Map<string, string> | undefined;
let codes: Set<string> | undefined;

function table(): Map<string, string> {
  if (!byCountry) {
    byCountry = new Map();
    codes = new Set();
    for (const [, code, countries] of PACKED.matchAll(/(\d+)([A-Z]+)/g)) {
      codes.add(code!);
      for (let i = 0; i < countries!.length; i += 2) byCountry.set(countries!.slice(i, i + 2), code!);
    }
  }
  return byCountry;
}

/** The calling code (digits, no `+`) of an ISO 3166 alpha-2 country, any case; `undefined` if unknown. */
export function callingCodeOf(country: string): string | undefined {
  return table().get(country.toUpperCase());
}

/** Every country code the table knows, upper case. */
export function knownCountries(): string[] {
  return [...table().keys()];
}

/** Every calling code the table knows. They are prefix-free: no code starts another. */
export function callingCodes(): ReadonlySet<string> {
  table();
  return codes!;
}

/**
 * Splits an international number's digits (after `+` or `00`) into calling
 * code and national number. Codes are 1 to 3 digits and prefix-free, so at
 * most one prefix length matches.
 */
export function splitCallingCode(digits: string): { callingCode: string; national: string } | undefined {
  const known = callingCodes();
  for (let length = 1; length <= 3 && length <= digits.length; length++) {
    const code = digits.slice(0, length);
    if (known.has(code)) return { callingCode: code, national: digits.slice(length) };
  }
  return undefined;
}
