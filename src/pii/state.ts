import { accept, refuse, type Normalized } from './field.js';
import { lettersOnly } from './name.js';

/**
 * US states, DC, US territories and Canadian provinces and territories, as
 * `code:name|name|…` groups. Names are written as their lookup key: lowercase
 * letters only, accents stripped, so "Québec", "quebec" and "QUEBEC" meet.
 */
const NAMES =
  'al:alabama,ak:alaska,az:arizona,ar:arkansas,ca:california,co:colorado,ct:connecticut,' +
  'de:delaware,fl:florida,ga:georgia,hi:hawaii,id:idaho,il:illinois,in:indiana,ia:iowa,' +
  'ks:kansas,ky:kentucky,la:louisiana,me:maine,md:maryland,ma:massachusetts,mi:michigan,' +
  'mn:minnesota,ms:mississippi,mo:missouri,mt:montana,ne:nebraska,nv:nevada,' +
  'nh:newhampshire,nj:newjersey,nm:newmexico,ny:newyork,nc:northcarolina,nd:northdakota,' +
  'oh:ohio,ok:oklahoma,or:oregon,pa:pennsylvania,ri:rhodeisland,sc:southcarolina,' +
  'sd:southdakota,tn:tennessee,tx:texas,ut:utah,vt:vermont,va:virginia,wa:washington,' +
  'wv:westvirginia,wi:wisconsin,wy:wyoming,' +
  'dc:districtofcolumbia|washingtondc,' +
  'as:americansamoa,gu:guam,mp:northernmarianaislands|commonwealthofthenorthernmarianaislands,' +
  'pr:puertorico,vi:virginislands|usvirginislands|unitedstatesvirginislands|virginislandsoftheunitedstates,' +
  'um:unitedstatesminoroutlyingislands|usminoroutlyingislands,' +
  'ab:alberta,bc:britishcolumbia,mb:manitoba,nb:newbrunswick,nl:newfoundlandandlabrador|newfoundland,' +
  'ns:novascotia,nt:northwestterritories,nu:nunavut,on:ontario,pe:princeedwardisland,' +
  'qc:quebec,sk:saskatchewan,yt:yukon|yukonterritory';

let codeByName: Map<string, string> | undefined;

function lookup(): Map<string, string> {
  if (!codeByName) {
    codeByName = new Map();
    for (const group of NAMES.split(',')) {
      const [code, names] = group.split(':') as [string, string];
      codeByName.set(code, code);
      for (const name of names.split('|')) codeByName.set(name, code);
    }
  }
  return codeByName;
}

/** Letters only, lowercase, accents stripped: the key a state's name or code is looked up by. */
function key(text: string): string {
  return text.normalize('NFD').toLowerCase().replace(/[^\p{L}]/gu, '');
}

/**
 * State rule: a US state, DC, US territory or Canadian province, by name (any
 * case, punctuation ignored) or code, becomes its two-letter code (`New York`
 * → `ny`); anything else is lowercased to letters and marks, never truncated.
 */
export function normalizeState(text: string): Normalized {
  const code = lookup().get(key(text));
  if (code) return accept(code);
  const state = lettersOnly(text);
  return state === '' ? refuse('has no letters') : accept(state);
}
