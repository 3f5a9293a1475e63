import type { RegionTable } from './packed-tables.js';

/**
 * US states, DC, US territories, and Canadian provinces and territories: the
 * two-letter code each becomes, and the names it is written as. Names are
 * compared by their letters only, lowercase and without accents, so
 * "Québec", "QUEBEC" and "quebec" meet, as do "Washington, D.C." and
 * "Washington DC".
 */
// One line per region, as a reference table reads.
// prettier-ignore
export const REGIONS: RegionTable = {
  // US states
  al: ['Alabama'], ak: ['Alaska'], az: ['Arizona'], ar: ['Arkansas'], ca: ['California'],
  co: ['Colorado'], ct: ['Connecticut'], de: ['Delaware'], fl: ['Florida'], ga: ['Georgia'],
  hi: ['Hawaii'], id: ['Idaho'], il: ['Illinois'], in: ['Indiana'], ia: ['Iowa'],
  ks: ['Kansas'], ky: ['Kentucky'], la: ['Louisiana'], me: ['Maine'], md: ['Maryland'],
  ma: ['Massachusetts'], mi: ['Michigan'], mn: ['Minnesota'], ms: ['Mississippi'], mo: ['Missouri'],
  mt: ['Montana'], ne: ['Nebraska'], nv: ['Nevada'], nh: ['New Hampshire'], nj: ['New Jersey'],
  nm: ['New Mexico'], ny: ['New York'], nc: ['North Carolina'], nd: ['North Dakota'], oh: ['Ohio'],
  ok: ['Oklahoma'], or: ['Oregon'], pa: ['Pennsylvania'], ri: ['Rhode Island'], sc: ['South Carolina'],
  sd: ['South Dakota'], tn: ['Tennessee'], tx: ['Texas'], ut: ['Utah'], vt: ['Vermont'],
  va: ['Virginia'], wa: ['Washington'], wv: ['West Virginia'], wi: ['Wisconsin'], wy: ['Wyoming'],
  // The federal district and the territories
  dc: ['District of Columbia', 'Washington DC'],
  as: ['American Samoa'],
  gu: ['Guam'],
  mp: ['Northern Mariana Islands', 'Commonwealth of the Northern Mariana Islands'],
  pr: ['Puerto Rico'],
  vi: ['Virgin Islands', 'US Virgin Islands', 'United States Virgin Islands', 'Virgin Islands of the United States'],
  um: ['United States Minor Outlying Islands', 'US Minor Outlying Islands'],
  // Canadian provinces and territories
  ab: ['Alberta'], bc: ['British Columbia'], mb: ['Manitoba'], nb: ['New Brunswick'],
  nl: ['Newfoundland and Labrador', 'Newfoundland'], ns: ['Nova Scotia'], nt: ['Northwest Territories'],
  nu: ['Nunavut'], on: ['Ontario'], pe: ['Prince Edward Island'], qc: ['Québec'], sk: ['Saskatchewan'],
  yt: ['Yukon', 'Yukon Territory'],
};
