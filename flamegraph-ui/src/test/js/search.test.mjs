import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatten } from '../../main/resources/hearth-ui/js/tree.js';
import { matcher, mark, matchedShare, matchedTotal, exactPattern } from '../../main/resources/hearth-ui/js/search.js';
import { tree } from './folded.mjs';

const t = flatten(tree([
  'main;Parser.parse;Parser.parse;Lexer.next 30',
  'main;Parser.parse 10',
  'main;Json.write 40',
  'main;GC 20',
]));
const names = (marks) => t.name.filter((_, i) => marks[i]);

test('substring search ignores case', () => {
  assert.deepEqual(names(mark(t, matcher('parser', false))), ['Parser.parse', 'Parser.parse']);
});

test('regex search uses the expression as written', () => {
  assert.deepEqual(names(mark(t, matcher('^(Json|GC)', true))), ['GC', 'Json.write']);
  assert.deepEqual(names(mark(t, matcher('json', true))), [], 'regex is case-sensitive');
});

test('an invalid regex is reported, not thrown, and matches nothing', () => {
  const m = matcher('(unclosed', true);
  assert.match(m.error, /invalid regular expression/);
  assert.equal(mark(t, m).reduce((a, b) => a + b, 0), 0);
});

test('no query, no matcher', () => {
  assert.equal(matcher('', false), null);
});

test('the matched share counts nested (recursive) matches once', () => {
  const marks = mark(t, matcher('Parser', false));
  assert.equal(matchedTotal(t, marks), 40);
  assert.equal(matchedShare(t, marks), 0.4);
});

test('the share adds disjoint matches and can be taken within a zoomed frame', () => {
  const marks = mark(t, matcher('Lexer|GC', true));
  assert.equal(matchedShare(t, marks), 0.5);
  const parse = t.name.indexOf('Parser.parse');
  assert.equal(matchedShare(t, marks, parse), 0.75);
});

test('an exact pattern matches only that name, with regex characters taken literally', () => {
  const name = 'Foo$Bar.<init>(int[])';
  const m = matcher(exactPattern(name), true);
  assert.ok(m.test(name));
  assert.ok(!m.test('x' + name));
  assert.ok(!m.test('Foo$Bar.<init>(int[]) '));
  assert.ok(!m.test('FooXBar.<init>(int[])'));
});
