/**
 * Map key orders of Go's encoders: yaml.v3 sorts keys "naturally" (digit runs compare as numbers,
 * non-letters before letters), encoding/json sorts them bytewise.
 */

export type KeyOrder = (a: string, b: string) => number;

export const jsonKeyOrder: KeyOrder = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

export const yamlKeyOrder: KeyOrder = (a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLetter = (c: string): boolean => /\p{L}/u.test(c);

/** yaml.v3 keyList.Less for two string keys. */
function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) {
      digits = isDigit(ac);
      continue;
    }
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return digits ? al : bl;
    return numericRunLess(ar, br, i);
  }
  return ar.length < br.length;
}

/** At the first difference (no letters involved): compare the digit runs there as numbers, then their lengths. */
function numericRunLess(ar: string[], br: string[], i: number): boolean {
  let an = 0;
  let bn = 0;
  if (ar[i] === '0' || br[i] === '0') {
    for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
      if (ar[j] !== '0') {
        an = 1;
        bn = 1;
        break;
      }
    }
  }
  let ai = i;
  for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
  let bi = i;
  for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
  if (an !== bn) return an < bn;
  if (ai !== bi) return ai < bi;
  return (ar[i] as string) < (br[i] as string);
}
