// The admin UI's helpers, tested with node's own test runner: what the pages say in words is decided here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { esc, human, remaining } from '../../main/resources/META-INF/resources/admin/core.js';
import { diff } from '../../main/resources/META-INF/resources/admin/audit.js';
import { parseStages } from '../../main/resources/META-INF/resources/admin/canary.js';
import { parseSplit, ruleFromFields, splitText } from '../../main/resources/META-INF/resources/admin/rules.js';
import { keysOf } from '../../main/resources/META-INF/resources/admin/segments.js';
import { typedFromRows, valueText, variantValue } from '../../main/resources/META-INF/resources/admin/variants.js';

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

test('a rule builder row reads as the API rule', () => {
  assert.deepEqual(ruleFromFields({ type: 'attribute', attribute: ' plan ', operator: 'in',
    values: 'pro, enterprise,' }),
    { type: 'attribute', value: ['pro', 'enterprise'], attribute: 'plan', operator: 'in' });
  assert.deepEqual(ruleFromFields({ type: 'segment', segments: ['beta'], serves: 'purple' }),
    { type: 'segment', value: ['beta'], variant: 'purple' });
  assert.deepEqual(ruleFromFields({ type: 'percentage', values: '20', serves: 'split', split: 'a 10, b 90' }),
    { type: 'percentage', value: 20, split: [{ variant: 'a', weight: 10 }, { variant: 'b', weight: 90 }] });
  // an empty percentage goes to the API as written, which names the field
  assert.deepEqual(ruleFromFields({ type: 'percentage', values: ' ' }), { type: 'percentage', value: '' });
  assert.equal(splitText(parseSplit('blue 50,green 50')), 'blue 50, green 50');
});

test('variants are read by the type, with their weights as the split', () => {
  assert.deepEqual(variantValue('number', '1500.5'), { value: 1500.5 });
  assert.deepEqual(variantValue('number', ''), { error: 'must be a number' });
  assert.deepEqual(variantValue('object', '{"retries": 3}'), { value: { retries: 3 } });
  assert.ok(variantValue('object', '{retries').error);
  assert.equal(valueText('object', { a: [1] }), '{"a":[1]}');
  const { typed, errors } = typedFromRows('string', [{ name: 'blue', value: '#00f', weight: '50' },
    { name: 'green', value: '#0f0', weight: '50' }, { name: 'purple', value: '#f0f', weight: '' },
    { name: ' ', value: 'x', weight: '' }], 'blue');
  assert.deepEqual(typed, { type: 'string', variants: { blue: '#00f', green: '#0f0', purple: '#f0f' },
    defaultVariant: 'blue', split: [{ variant: 'blue', weight: 50 }, { variant: 'green', weight: 50 }] });
  assert.deepEqual(errors, ['variant 4: needs a name']);
  assert.equal(typedFromRows('number', [{ name: 'a', value: '1', weight: '' }], 'a').typed.split, undefined);
});

test('a segment\'s targeting keys are one a line or separated by commas', () => {
  assert.deepEqual(keysOf('acme-1\n jane@example.com, acme-2\n\n'), ['acme-1', 'jane@example.com', 'acme-2']);
});
