import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime, resolveWindow, previousPeriod, stepFor, formatTime, ticks, PRESETS } from '../../main/resources/hearth-ui/js/time-range.js';

const now = 1_800_000_000_000;

test('relative, absolute and ISO times', () => {
  assert.equal(parseTime('now', now), now);
  assert.equal(parseTime('now-15m', now), now - 15 * 60e3);
  assert.equal(parseTime('now-7d', now), now - 7 * 86400e3);
  assert.equal(parseTime('1700000000000', now), 1700000000000);
  assert.equal(parseTime('2026-01-02T03:04:05Z', now), Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.ok(Number.isNaN(parseTime('yesterday', now)));
});

test('every preset parses', () => {
  for (const [, expr] of PRESETS) assert.ok(parseTime(expr, now) < now, expr);
});

test('a window says in words what is wrong with it', () => {
  assert.deepEqual(resolveWindow('now-1h', 'now', now), { from: now - 3600e3, until: now });
  assert.match(resolveWindow('soon', 'now', now).error, /start time "soon"/);
  assert.match(resolveWindow('now', 'now-1h', now).error, /not before its end/);
});

test('timeline steps: about 240 buckets, never under 10 s', () => {
  assert.equal(stepFor(0, 15 * 60e3), 10e3);
  assert.equal(stepFor(0, 24 * 3600e3), 360e3);
});

test('formatted times read back as the same instant', () => {
  const ms = 1_763_800_000_000;
  assert.equal(parseTime(formatTime(ms), now), ms);
});

test('the previous period is as long as the window and ends where it starts', () => {
  assert.deepEqual(previousPeriod({ from: 1000, until: 1600 }), { from: 400, until: 1000 });
});

test('timeline ticks fall on round local times inside the window', () => {
  const from = Date.parse('2026-03-04T10:07:00'), until = from + 3600e3;
  const t = ticks(from, until);
  assert.deepEqual(t.map((x) => x.label), ['10:10', '10:20', '10:30', '10:40', '10:50', '11:00']);
  assert.ok(t.every((x) => x.ms >= from && x.ms < until));
  const week = ticks(from, from + 7 * 86400e3);
  assert.ok(week.length <= 6 && week.every((x) => /^\d\d-\d\d$/.test(x.label)), JSON.stringify(week));
  assert.equal(new Date(week[0].ms).getHours(), 0, 'days start at local midnight');
});

test('fields show local date-times, never milliseconds, and read them back', async () => {
  const { displayTime, readTime, timeZoneText, spanOf } = await import('../../main/resources/hearth-ui/js/time-range.js');
  const ms = new Date(2026, 10, 30, 14, 5, 9).getTime();
  assert.equal(displayTime(String(ms)), '2026-11-30 14:05:09');
  assert.equal(displayTime('now-15m'), 'now-15m');
  assert.equal(readTime('2026-11-30 14:05:09', 'now-1h', now), String(ms));
  assert.equal(readTime('2026-11-30 14:05', 'now-1h', now), String(ms - 9000), 'seconds optional');
  assert.equal(readTime('2026-11-30T14:05:09', 'now-1h', now), String(ms));
  assert.equal(readTime(' now-15m ', 'now-1h', now), 'now-15m');
  assert.equal(readTime(displayTime(String(ms + 123)), String(ms + 123), now), String(ms + 123), 'an untouched field keeps its exact value');
  assert.equal(readTime('2026-02-30 10:00', 'now-1h', now), '2026-02-30 10:00', 'no such day: kept, and the window says why');
  assert.match(resolveWindow('2026-02-30 10:00', 'now', now).error, /cannot read the start time/);
  assert.match(timeZoneText(), /, UTC[+-]\d\d:\d\d$/);
  assert.deepEqual(spanOf({ from: 10, until: 20 }, { from: 0, until: 5 }), { from: 0, until: 20 });
  assert.deepEqual(spanOf({ from: 10, until: 20 }, null), { from: 10, until: 20 });
});
