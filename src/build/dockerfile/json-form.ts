// The exec (JSON) form of RUN/CMD/ENTRYPOINT/COPY/ADD/VOLUME/SHELL: `["a", "b"]`. Anything that is
// not a valid JSON array of strings is the shell form instead, as Docker does (no error).

export function parseJsonArray(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) return undefined;
  return value;
}
