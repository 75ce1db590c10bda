// The admin UI's helpers, tested with node's own test runner: what the pages say in words is decided here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { esc, human, remaining } from '../../main/resources/META-INF/resources/admin/core.js';
import { diff } from '../../main/resources/META-INF/resources/admin/audit.js';
import { parseStages } from '../../main/resources/META-INF/resources/admin/canary.js';

test('durations and tiers read in words', () => {
  assert.equal(human('needs >= PT48H'), 'needs >= 48 h');
  assert.equal(human('is PT1M35S'), 'is 1 min 35 s');
  assert.equal(human('PT0S'), '0 s');
  assert.equal(human('cannot leave tier_2_early_adopters yet'), 'cannot leave tier 2 · early adopters yet');
});

test('time left in words', () => {
  assert.equal(remaining(3 * 60_000 + 5_000), '3 min 5 s');
  assert.equal(remaining(49 * 3_600_000), '2 d 1 h');
  assert.equal(remaining(-1), '0 s');
});

test('markup is escaped', () => {
  assert.equal(esc('<a href="x">O\'Brien & co</a>'), '&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;');
  assert.equal(esc(null), '');
});

test('a change reads field by field, lists as entries added and removed', () => {
  assert.deepEqual(diff({ description: 'a', rules: [1], version: 1, policy: { rate: 0.05 } },
    { description: 'b', rules: [1, 2], version: 2, policy: { rate: 0.1 } }),
  ['description: "a" → "b"', 'rules: + 2', 'policy.rate: 0.05 → 0.1']);
  assert.deepEqual(diff({ list: ['x', 'y'] }, { list: ['y'] }), ['list: − "x"']);
  // created: what it was created with, nothing empty; deleted: nothing beyond the action
  assert.deepEqual(diff(undefined, { name: 'x', list: [], none: null }), ['name: "x"']);
  assert.deepEqual(diff({ name: 'x' }, undefined), []);
});

test('custom canary stages are read from their short form', () => {
  assert.deepEqual(parseStages('10:300:100:5, 100'), [
    { percentage: 10, duration: 300, minRequests: 100, maxErrorRate: 0.05 },
    { percentage: 100, duration: 0, minRequests: 0, maxErrorRate: 0.05 },
  ]);
  assert.equal(parseStages('  '), undefined);
});
