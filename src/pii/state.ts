import { accept, refuse, type Normalized } from './field.js';
import { lettersOnly } from './name.js';

/**
 * US states, DC, US territories and Canadian provinces and territories.
 * Names are written as their lookup key: lowercase letters only, accents
 * stripped, so "Québec", "quebec" and "QUEBEC" meet. Each group is the second
 * letter of its code followed by its names (`|` between them); the code's
 * first letter is the first name's, so "lalabama" is `al` and "ivirginislands"
 * is `vi`. The one exception, the Northern Mariana Islands (`mp`), writes its
 * code in full: "mp:northern…". Packed so: the plain "al:alabama" form cost
 * about 70 B more gzip in the browser bundle.
 */
const NAMES =
  'lalabama,kalaska,zarizona,rarkansas,acalifornia,ocolorado,tconnecticut,edelaware,lflorida,' +
  'ageorgia,ihawaii,didaho,lillinois,nindiana,aiowa,skansas,ykentucky,alouisiana,emaine,' +
  'dmaryland,amassachusetts,imichigan,nminnesota,smississippi,omissouri,tmontana,enebraska,' +
  'vnevada,hnewhampshire,jnewjersey,mnewmexico,ynewyork,cnorthcarolina,dnorthdakota,hohio,' +
  'koklahoma,roregon,apennsylvania,irhodeisland,csouthcarolina,dsouthdakota,ntennessee,xtexas,' +
  'tutah,tvermont,avirginia,awashington,vwestvirginia,iwisconsin,ywyoming,' +
  'cdistrictofcolumbia|washingtondc,samericansamoa,uguam,' +
  'mp:northernmarianaislands|commonwealthofthenorthernmarianaislands,rpuertorico,' +
  'ivirginislands|usvirginislands|unitedstatesvirginislands|virginislandsoftheunitedstates,' +
  'munitedstatesminoroutlyingislands|usminoroutlyingislands,balberta,cbritishcolumbia,' +
  'bmanitoba,bnewbrunswick,lnewfoundlandandlabrador|newfoundland,snovascotia,' +
  'tnorthwestterritories,ununavut,nontario,eprinceedwardisland,cquebec,ksaskatchewan,' +
  'tyukon|yukonterritory';

let codeByName: Map<string, string> | undefined;

function lookup(): Map<string, string> {
  if (!codeByName) {
    codeByName = new Map();
    for (const group of NAMES.split(',')) {
      const [head, full] = group.split(':') as [string, string | undefined];
      const names = (full ?? head.slice(1)).split('|');
      const code = full ? head : names[0]![0]! + head[0];
      codeByName.set(code, code);
      for (const name of names) codeByName.set(name, code);
    }
  }
  return codeByName;
}

/** Letters only, lowercase, accents stripped: the key a state's name or code is looked up by. */
function key(text: string): string {
  return text
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^\p{L}]/gu, '');
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
