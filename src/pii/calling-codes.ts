/**
 * Country calling codes (ITU-T E.164) for every ISO 3166-1 alpha-2 country,
 * plus AC (Ascension), TA (Tristan da Cunha) and XK (Kosovo), which have
 * codes of their own. Non-geographic codes (+800, +881, …) are left out: a
 * person's phone is not one.
 *
 * Packed to ship in the browser bundle: calling codes in ascending order,
 * each written as its difference from the previous one and followed by the
 * countries that use it, two lowercase letters each ("1agaiasbb…6kzru13eg":
 * +1 AG AI AS BB…, +7 KZ RU, +20 EG). Digits and capitals are rare in minified
 * code, so the plain table ("1AGAI…7KZRU20EG") cost 1.1 KB gzip in the bundle;
 * this costs 0.6 KB. Parsed on first use; test/pii/calling-codes.test.ts pins
 * the table.
 */
const PACKED =
  '1agaiasbbbmbscadmdogdgujmknkylcmpmsprsxtcttumusvcvgvi6kzru13eg7za3gr1nl1be1fr1es2hu3itva1ro1ch' +
  '2at1gbggimje1dk1se1bvnosj1pl1de2pe1mx1cu1ar1br1cl1co1ve2my1aucccx1id1ph1nzpn1sg1th15jp1kr2vn2cn' +
  '4tr1in1pk1af1lk1mm3ir113ss1ehma1dz3tn2ly2gm1sn1mr1ml1gn1ci1bf1ne1tg1bj1mu1lr1sl1gh1ng1td1cf1cm' +
  '1cv1st1gq1ga1cg1cd1ao1gw1io1ac1sc1sd1rw1et1so1dj1ke1tz1ug1bi1mz2zm1mg1retfyt1zw1na1mw1ls1bw1sz' +
  '1km21shta1er6aw1fo1gl51gi1pt1lu1ie1is1al1mt1cy1axfi1bg11lt1lv1ee1md1am1by1ad1mc1sm2ua1rs1me1xk' +
  '2hr1si1ba2mk31cz1sk2li77fkgs1bz1gt1sv1hn1ni1cr1pa1pm1ht81blgpmf1bo1gy1ec1gf1py1mq1sr1uy1bqcw71tl' +
  '2aqhmnf1bn1nr1pg1to1sb1vu1fj1pw1wf1ck1nu2ws1ki1nc1tv1pf1tk1fm1mh158kp2hk1mo2kh1la24bd6tw74mv1lb' +
  '1jo1sy1iq1kw1sa1ye1om2ps1ae1il1bh1qa1bt1mn1np15tj1tm1az1ge1kg2uz';

let byCountry: Map<string, string> | undefined;
let codes: Set<string> | undefined;

function table(): Map<string, string> {
  if (!byCountry) {
    byCountry = new Map();
    codes = new Set();
    let code = 0;
    for (const [, step, countries] of PACKED.matchAll(/(\d+)([a-z]+)/g)) {
      code += Number(step);
      codes.add(String(code));
      for (let i = 0; i < countries!.length; i += 2)
        byCountry.set(countries!.slice(i, i + 2).toUpperCase(), String(code));
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
