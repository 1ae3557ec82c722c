import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unnamedShare, unnamedHint } from '../../main/resources/hearth-ui/js/unnamed.js';
import { formatPercent } from '../../main/resources/hearth-ui/js/format.js';
import { flatten } from '../../main/resources/hearth-ui/js/tree.js';
import { tree } from './folded.mjs';

test('the share under unnamed frames counts nested ones once', () => {
  const t = flatten(tree(['java;[unknown];Busy.sortStuff 30', 'java;[unknown];[jit] 10', 'java;Main.run 60']));
  assert.equal(unnamedShare(t), 0.4);
  assert.equal(unnamedShare(flatten(tree(['java;Main.run 1']))), 0);
});

test('the hint says why and what to do', () => {
  const hint = unnamedHint(0.4, [], formatPercent);
  assert.match(hint, /^40.0% of the time is in frames without a name/);
  assert.match(hint, /-XX:\+PreserveFramePointer/);
  assert.match(hint, /let Hearth attach/);
  assert.match(unnamedHint(0.4, ['attach-disabled'], formatPercent), /The agent says: the JVM runs with -XX:\+DisableAttachMechanism/);
  assert.match(unnamedHint(0.4, ['no-frame-pointers', 'attach-impossible'], formatPercent), /without -XX:\+PreserveFramePointer.*; Hearth cannot attach/);
  assert.match(unnamedHint(0, ['perf map unreadable'], formatPercent), /The agent says: perf map unreadable\./, 'an unknown reason is shown as given');
  assert.equal(unnamedHint(0.001, [], formatPercent), '', 'a trace is not worth a sentence');
});
