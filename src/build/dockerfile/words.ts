// Quote-aware splitting of an instruction's arguments into raw words. Quotes and escapes are kept
// in the words: expanding them is expand.ts's job, which runs later with the stage's variables.

export type EscapeChar = '\\' | '`';

const isSpace = (ch: string): boolean => /\s/.test(ch);

/**
 * Splits `text` on whitespace that is outside quotes and not escaped (`a "b c" d\ e` -> 3 words),
 * keeping each word as written. Inside single quotes nothing is special (as in a shell).
 */
export function splitRawWords(text: string, escape: EscapeChar = '\\'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      word += ch;
      if (ch === quote) quote = undefined;
      else if (quote === '"' && ch === escape && i + 1 < text.length) word += text[++i];
      continue;
    }
    if (isSpace(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === escape && i + 1 < text.length) {
      word += ch + text[++i]!;
      continue;
    }
    word += ch;
  }
  if (inWord) words.push(word);
  return words;
}

/** Index of the first `target` in a raw word that is neither quoted nor escaped, or -1. */
export function indexOfUnquoted(word: string, target: string, escape: EscapeChar = '\\'): number {
  let quote: string | undefined;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && ch === escape) i++;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === escape) i++;
    else if (ch === target) return i;
  }
  return -1;
}
