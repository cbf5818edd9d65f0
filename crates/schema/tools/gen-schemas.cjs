#!/usr/bin/env node
// Regenerates tests/fixtures/schemas.json: every real schema the bridge meets, by name — the reference
// workflows' payload and control schemas, the built-in step output/result schemas (from the recorded
// discover answer), every provider output schema, and pydantic-style schemas.
const fs = require('fs');
const path = require('path');
const { schemas: hand } = require('./cases-handwritten.cjs');

const SHARED = process.env.SHARED_DIR || '/work/shared';
const expected = JSON.parse(fs.readFileSync(path.join(SHARED, 'conformance/expected.json'), 'utf8'));
const providers = JSON.parse(fs.readFileSync(path.join(SHARED, 'spec/provider-schemas.json'), 'utf8'));
const discover = expected.cases.find((c) => c.id === 'discover').body;

const out = {};
for (const wf of discover.workflows) {
  out[`workflow ${wf.workflowId} payload`] = wf.payload.schema;
  for (const step of wf.steps) {
    out[`workflow ${wf.workflowId} step ${step.stepId} controls`] = step.controls.schema;
    out[`step type ${step.type} outputs (${wf.workflowId}/${step.stepId})`] = step.outputs.schema;
    out[`step type ${step.type} results (${wf.workflowId}/${step.stepId})`] = step.results.schema;
  }
}
for (const [channel, list] of Object.entries(providers)) {
  if (channel.startsWith('$')) continue;
  for (const [id, schema] of Object.entries(list)) out[`provider ${channel}/${id}`] = schema;
}
for (const [name, schema] of Object.entries(hand)) out[`handwritten ${name}`] = schema;
const file = path.join(__dirname, '..', 'tests', 'fixtures', 'schemas.json');
fs.writeFileSync(file, JSON.stringify(out) + '\n');
console.log(`${Object.keys(out).length} schemas -> ${file}`);
