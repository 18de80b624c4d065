/** The credentials the CLI sends with a pull or push: the user's Docker config entry for the image's registry. */
import { readCredentials, type AuthConfig } from '../../../image/registry/credentials.js';
import { parseReference } from '../../../image/reference.js';
import type { CliIO } from '../../io.js';

export function credentialsFor(io: CliIO, image: string): AuthConfig | undefined {
  return readCredentials(parseReference(image).domain, io.env);
}
