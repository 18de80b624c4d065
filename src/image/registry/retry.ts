/** Retries with exponential back-off for what a registry (or the network) may get right on a second try. */
import { RegistryError } from './errors.js';

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Thrown by a try that should be retried: a 5xx answer or a dropped connection. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

export function isTransient(e: unknown): boolean {
  if (e instanceof TransientError) return true;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  return e instanceof Error && /socket hang up|aborted|timed out/i.test(e.message);
}

export interface RetryPolicy {
  attempts: number; // tries in all
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds, fails with a non-transient error, or the tries are used up. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (n >= policy.attempts || !isTransient(e)) throw unwrap(e);
      await sleep(policy.baseDelayMs * 2 ** (n - 1) * (0.75 + Math.random() / 2));
    }
  }
}

/** The last transient error, as the user should read it. */
function unwrap(e: unknown): unknown {
  return e instanceof TransientError ? new RegistryError(e.message) : e;
}
