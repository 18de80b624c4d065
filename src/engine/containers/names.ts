import { randomInt } from 'node:crypto';

// Docker names containers `adjective_surname` when no name is given; these are short lists of our own.
const ADJECTIVES = ['brave', 'calm', 'eager', 'fond', 'gentle', 'happy', 'jolly', 'keen', 'lucid', 'merry', 'nimble', 'proud', 'quiet', 'sharp', 'tender', 'vivid', 'witty', 'zen'];
const NOUNS = ['babbage', 'curie', 'darwin', 'euler', 'fermi', 'gauss', 'hopper', 'kepler', 'lovelace', 'meitner', 'noether', 'pascal', 'ritchie', 'shannon', 'thompson', 'turing', 'wozniak'];

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function generateName(taken: (name: string) => boolean): string {
  for (;;) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;
    if (!taken(name)) return name;
    const numbered = `${name}${randomInt(10)}`;
    if (!taken(numbered)) return numbered;
  }
}

export function isValidName(name: string): boolean {
  return VALID_NAME.test(name.replace(/^\//, ''));
}
