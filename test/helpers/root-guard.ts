/**
 * Tests that need root (namespaces, cgroups, mounts) run in CI, which is root. Outside CI a non-root run skips them
 * and says so; inside CI a non-root run is a failure, never a silent skip.
 */
export function requiresRoot(what = 'root'): string | false {
  if (process.getuid?.() === 0) return false;
  if (process.env.CI) throw new Error(`these tests need ${what} and CI must run them as root`);
  return `needs ${what}: skipped outside CI (CI unset, not root)`;
}
