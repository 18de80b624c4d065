import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSince } from '../../src/engine/logs/since.js';
import { UserError } from '../../src/errors.js';

const NOW = new Date('2024-06-15T12:00:00.000Z');
const local = (...parts: [number, number, number, number?, number?, number?, number?]) => new Date(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0, parts[6] ?? 0).toISOString();

const TABLE: Array<[string, string]> = [
  // relative Go durations, back from now
  ['10m', '2024-06-15T11:50:00.000Z'],
  ['1h30m', '2024-06-15T10:30:00.000Z'],
  ['42s', '2024-06-15T11:59:18.000Z'],
  ['1.5h', '2024-06-15T10:30:00.000Z'],
  ['250ms', '2024-06-15T11:59:59.750Z'],
  ['0s', '2024-06-15T12:00:00.000Z'],
  ['-5m', '2024-06-15T12:05:00.000Z'],
  // unix seconds, with an optional fraction
  ['1700000000', '2023-11-14T22:13:20.000Z'],
  ['1700000000.5', '2023-11-14T22:13:20.500Z'],
  ['1700000000.123456789', '2023-11-14T22:13:20.123Z'],
  ['0', '1970-01-01T00:00:00.000Z'],
  // RFC3339 and the shorter forms Docker accepts
  ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
  ['2024-01-02T03:04:05.123456789Z', '2024-01-02T03:04:05.123Z'],
  ['2024-01-02T03:04:05+02:00', '2024-01-02T01:04:05.000Z'],
  ['2024-01-02T03:04:05.5-01:30', '2024-01-02T04:34:05.500Z'],
  ['2024-01-02Z', '2024-01-02T00:00:00.000Z'],
  // no zone: the local time, as Docker does
  ['2024-01-02T03:04:05', local(2024, 1, 2, 3, 4, 5)],
  ['2024-01-02T03:04', local(2024, 1, 2, 3, 4)],
  ['2024-01-02', local(2024, 1, 2)],
  ['2024-01-02T03:04:05.25', local(2024, 1, 2, 3, 4, 5, 250)],
];

test('parseSince reads Docker\'s time forms', () => {
  for (const [value, expected] of TABLE) assert.equal(parseSince(value, NOW).toISOString(), expected, value);
});

test('parseSince rejects what Docker rejects', () => {
  for (const value of ['', 'yesterday', '10 m', '5d', '2024-13-01', '2024-02-30', '2024-01-02T25:00:00Z', '2024-01-02 03:04:05', '1.2.3', 'm']) {
    assert.throws(() => parseSince(value, NOW), UserError, value);
  }
  assert.equal(parseSince('10', NOW).toISOString(), '1970-01-01T00:00:10.000Z', 'a number without a unit is unix seconds');
});
