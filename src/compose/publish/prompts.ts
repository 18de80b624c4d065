/** The questions asked before publishing, one per kind of finding, every finding listed before it. */
import type { EnvFindings } from './findings.js';

export function bindMountQuestion(found: Map<string, string[]>): string {
  const lines = [
    'you are about to publish bind mounts declaration within your OCI artifact.',
    'only the declarations are published, not the content of the mounted paths;',
    "check that none of them points to a user's sensitive directories or data:",
  ];
  for (const [service, mounts] of found) lines.push(`  service ${JSON.stringify(service)}:`, ...mounts.map((m) => `    ${m}`));
  lines.push('Are you ok to publish these bind mount declarations?');
  return lines.join('\n');
}

export function envQuestion(found: Map<string, EnvFindings>): string {
  const lines = [
    'you are about to publish env-related declarations within your OCI artifact.',
    'env_file references and literal values of sensitive-looking keys are published as written',
    '(values written as "${VAR}" stay symbolic and are not listed):',
  ];
  for (const [service, f] of found) {
    if (f.envFile) lines.push(`  service ${JSON.stringify(service)}: env_file declared`);
    const keys = [...f.literalKeys].sort();
    if (keys.length > 0) lines.push(`  service ${JSON.stringify(service)}: literal value for ${keys.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  lines.push('Use --with-env to silence this prompt.', 'Are you ok to publish these env declarations?');
  return lines.join('\n');
}
