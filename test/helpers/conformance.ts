import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/** Tallies one conformance suite and prints the `suite: N passed, M failed` line the brief asks for. */
export class SuiteCounter {
  passed = 0;
  failed = 0;
  skipped = 0;
  readonly failures: string[] = [];
  readonly skips: string[] = [];
  constructor(readonly suite: string) {}

  pass(): void {
    this.passed++;
  }
  fail(caseName: string, why: string): void {
    this.failed++;
    this.failures.push(`${caseName}: ${why}`);
  }
  skip(caseName: string, why: string): void {
    this.skipped++;
    this.skips.push(`${caseName}: ${why}`);
  }

  /** Prints the summary (and, with TSCOMPOSE_VERBOSE, each failure) and asserts the count never drops below the baseline. */
  report(): void {
    if (process.env.TSCOMPOSE_VERBOSE) {
      for (const f of this.failures) console.log(`  FAIL ${f}`);
      for (const s of this.skips) console.log(`  SKIP ${s}`);
    }
    const skipped = this.skipped ? `, ${this.skipped} skipped` : '';
    console.log(`${this.suite}: ${this.passed} passed, ${this.failed} failed${skipped}`);
    const baseline = readBaseline()[this.suite] ?? 0;
    assert.ok(
      this.passed >= baseline,
      `${this.suite}: ${this.passed} passed is below the recorded baseline of ${baseline}\n${this.failures.slice(0, 20).join('\n')}`,
    );
  }
}

function readBaseline(): Record<string, number> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'test/conformance/baseline.json'), 'utf8')) as Record<string, number>;
}
