#!/usr/bin/env node
// Regenerates tests/fixtures/ajv-vectors.json: every case is run through real ajv 8 + ajv-formats with
// upstream's options; the Rust tests replay them. Usage: node tools/gen-vectors.cjs
// A schema or datum written as {"__raw": "<json text>"} is kept as text so that its key order reaches the
// Rust side unchanged (JavaScript reorders integer-like keys when it parses).
const fs = require('fs');
const path = require('path');
const { run } = require('./ajv.cjs');
const { cases } = require('./cases-handwritten.cjs');
const { randomCases } = require('./cases-random.cjs');

const raw = (v) => (v && typeof v === 'object' && typeof v.__raw === 'string' ? v.__raw : null);
const value = (v) => (raw(v) !== null ? JSON.parse(raw(v)) : v);

// `node tools/gen-vectors.cjs <count> <seed> <file>` writes a random-only file for a larger ad-hoc run.
const [count, seed, target] = process.argv.slice(2);
const all = target ? randomCases(Number(count), Number(seed)) : [...cases, ...randomCases(400, 20240601)];
const out = [];
for (const [name, schema, datas] of all) {
  for (const d of datas) {
    const result = run(value(schema), value(d));
    out.push({
      name,
      schema: raw(schema) !== null ? { text: raw(schema) } : { value: schema },
      data: raw(d) !== null ? { text: raw(d) } : { value: d },
      expected: result,
    });
  }
}
const file = target || path.join(__dirname, '..', 'tests', 'fixtures', 'ajv-vectors.json');
fs.writeFileSync(file, JSON.stringify(out, null, 0).replace(/\},\{"name"/g, '},\n{"name"') + '\n');
console.log(`${out.length} vectors -> ${file}`);
