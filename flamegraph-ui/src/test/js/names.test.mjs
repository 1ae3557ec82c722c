import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortenName } from '../../main/resources/hearth-ui/js/names.js';

const NAME = 'java.util.concurrent.ConcurrentHashMap.computeIfAbsent';

test('short names stay whole', () => {
  assert.equal(shortenName('main', 10), 'main');
  assert.equal(shortenName(NAME, NAME.length), NAME);
});

test('Java names lose their package from the left, class and method stay', () => {
  assert.equal(shortenName(NAME, 51), 'j.util.concurrent.ConcurrentHashMap.computeIfAbsent');
  assert.equal(shortenName(NAME, 50), 'j.u.concurrent.ConcurrentHashMap.computeIfAbsent');
  assert.equal(shortenName(NAME, 41), 'j.u.c.ConcurrentHashMap.computeIfAbsent');
  assert.equal(shortenName(NAME, 34), '…ConcurrentHashMap.computeIfAbsent', 'then whole segments');
  assert.equal(shortenName(NAME, 30), '…computeIfAbsent');
  assert.equal(shortenName(NAME, 10), '…eIfAbsent', 'then the left end of the method');
  assert.ok(shortenName(NAME, 30).endsWith('computeIfAbsent'));
});

test('every result fits, whatever the name', () => {
  for (const n of [NAME, 'std::vector<int>::push_back(int const&)', 'x'.repeat(200), 'a.b', '[kernel] do_syscall_64']) {
    for (let c = 2; c < 60; c++) assert.ok(shortenName(n, c).length <= c, `${n} in ${c}: ${shortenName(n, c)}`);
  }
  assert.equal(shortenName(NAME, 1), '');
});

test('C++ names keep their last segment and parameters', () => {
  assert.equal(shortenName('std::vector<int>::push_back(int const&)', 24), '…push_back(int const&)');
});
