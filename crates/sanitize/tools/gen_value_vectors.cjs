// Generates tests/fixtures/sanitize_value_vectors.json: output objects run through upstream's own
// object sanitiser (`sanitizeObject` in upstream.cjs), recorded as JSON.stringify text.
// `null` inside arrays is left out: upstream throws a TypeError there (see the Rust tests).
// Run from the crate root: node tools/gen_value_vectors.cjs
console.log = () => {};
const fs = require('fs');
const path = require('path');
const { sanitizeObject } = require('./upstream.cjs');

let seed = 424242;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (l) => l[Math.floor(rand() * l.length)];
const STRINGS = ['', 'plain', 'a & b', '<b>x', '<script>x</script>ok', '<img src=x onerror=y>', '&nbsp;', '1 < 2', '<a href="javascript:x">j</a>', '</br/>'];
const KEYS = ['subject', 'body', 'data', 'list', '0', '1', '10', '2', 'x', 'nested', 'a b', '__proto__'];

function value(depth, inArray) {
  const r = rand();
  if (depth > 3 || r < 0.35) return pick(STRINGS);
  if (r < 0.45) return pick([0, 1.5, -3, 1e21, true, false]);
  if (r < 0.5 && !inArray) return null;
  if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1, true));
  const o = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) o[pick(KEYS)] = value(depth + 1, false);
  return o;
}

const vectors = [
  { subject: '<b>Hi</b>', body: 'x', n: 1, b: true, z: null },
  { data: { list: ['<i>a', 2, { deep: '<u>d' }, [1, '<b>x', [true]]], s: 'a & b' } },
  { '1': '<p>one', a: 'x', '0': ['<b>', { '2': '<i>' }] },
];
for (let i = 0; i < 1200; i++) {
  const v = value(0, false);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) vectors.push(v);
}
// Texts whose `__proto__` key JSON.parse keeps as an own property (object literals cannot say that).
const texts = ['{"__proto__":"<b>x","a":"<i>y"}', '{"a":{"__proto__":{"b":"<b>"},"c":"&"},"d":[{"__proto__":1}]}'];
const out = [...vectors.map((v) => JSON.stringify(v)), ...texts].map((input) => {
  return { input, output: JSON.stringify(sanitizeObject(JSON.parse(input))) };
});
fs.writeFileSync(path.join(__dirname, '..', 'tests', 'fixtures', 'sanitize_value_vectors.json'), JSON.stringify(out, null, 1) + '\n');
process.stderr.write(out.length + ' value vectors\n');
