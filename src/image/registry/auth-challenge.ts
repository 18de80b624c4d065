/** `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */

export interface Challenge {
  scheme: string; // lower case: "bearer", "basic"
  params: Record<string, string>; // names lower case
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;

/** Parses one header value; several challenges may be listed, separated by commas. */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let pos = 0;
  const skipSpace = () => {
    while (pos < header.length && /[\s,]/.test(header[pos]!)) pos++;
  };
  const token = (): string | undefined => {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(header);
    if (!m) return undefined;
    pos = TOKEN.lastIndex;
    return m[0];
  };
  while (pos < header.length) {
    skipSpace();
    const scheme = token();
    if (!scheme) break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    for (;;) {
      skipSpace();
      const start = pos;
      const name = token();
      if (!name || header[pos] !== '=') {
        pos = start; // the next challenge's scheme
        break;
      }
      pos++;
      challenge.params[name.toLowerCase()] = header[pos] === '"' ? quoted() : (token() ?? '');
    }
    if (pos === 0) break;
  }
  return challenges;

  function quoted(): string {
    let value = '';
    pos++; // opening quote
    while (pos < header.length && header[pos] !== '"') {
      if (header[pos] === '\\') pos++;
      value += header[pos] ?? '';
      pos++;
    }
    pos++; // closing quote
    return value;
  }
}
