#!/usr/bin/env node
// Regenerates tests/fixtures/corpus-validation.json from the conformance corpus: for every execute/preview
// case whose answer depends on a schema validation, the schema upstream used (from the recorded discover
// answer), the data it validated, and what came out (the error array, or the validated data where the
// answer shows it). Each entry is also run through ajv here, as a check that the mapping is right.
const fs = require('fs');
const path = require('path');
const { run } = require('./ajv.cjs');

const SHARED = process.env.SHARED_DIR || '/work/shared';
const cases = JSON.parse(fs.readFileSync(path.join(SHARED, 'conformance/cases.json'), 'utf8'));
const expected = JSON.parse(fs.readFileSync(path.join(SHARED, 'conformance/expected.json'), 'utf8'));
const answers = Object.fromEntries(expected.cases.map((c) => [c.id, c]));
const workflows = Object.fromEntries(answers.discover.body.workflows.map((w) => [w.workflowId, w]));
const step = (wf, id) => workflows[wf].steps.find((s) => s.stepId === id);

// Resolver outputs of the reference workflows (workflows.md) for the output-validation cases.
const outputs = {
  'welcome-inbox-empty-strings': ['welcome', 'inbox', { subject: '', body: '' }],
  'welcome-inbox-action-relative': ['welcome', 'inbox', { subject: 'Hi Ada', body: 'Welcome to free', primaryAction: { label: 'Open', redirect: { url: '/settings' } } }],
  'welcome-inbox-action-absolute': ['welcome', 'inbox', { subject: 'Hi Ada', body: 'Welcome to free', primaryAction: { label: 'Open', redirect: { url: 'https://example.com/a' } } }],
  'digest-collect-defaults': ['digest-flow', 'collect', { amount: 1, unit: 'hours' }],
  'digest-collect-lookback': ['digest-flow', 'collect', { amount: 5, unit: 'minutes', lookBackWindow: { amount: 2, unit: 'minutes' } }],
  'delay-wait': ['delay-then-push', 'wait', { type: 'regular', amount: 1, unit: 'hours' }],
  'custom-compute-defaults': ['custom-step', 'compute', { score: 12, label: 'high' }],
};

const out = [];
const add = (id, kind, schema, data, result) => {
  const check = run(schema, data === undefined ? null : data);
  const agrees = JSON.stringify(check.errors) === JSON.stringify(result.errors) &&
    (result.data === undefined || JSON.stringify(check.data) === JSON.stringify(result.data));
  if (!agrees) throw new Error(`${id}: ajv gives ${JSON.stringify(check)}, corpus ${JSON.stringify(result)}`);
  out.push({ id, kind, schema, input: data === undefined ? null : data, errors: result.errors, ...(result.data === undefined ? {} : { output: result.data }) });
};

for (const c of cases) {
  const q = c.query || {};
  if (typeof q !== 'object' || !['execute', 'preview'].includes(q.action)) continue;
  const a = answers[c.id];
  const body = c.body || {};
  const wf = workflows[q.workflowId];
  if (!wf) continue;
  const code = a.body && a.body.code;
  const errors = a.body && Array.isArray(a.body.data) ? a.body.data : null;
  if (code === 'ExecutionEventPayloadInvalidError' && errors) {
    add(c.id, 'payload', wf.payload.schema, body.payload, { errors });
  } else if (code === 'ExecutionStateControlInvalidError') {
    add(c.id, 'controls', step(q.workflowId, q.stepId).controls.schema, body.controls, { errors });
  } else if (code === 'ExecutionStateResultInvalidError') {
    const failing = a.body.message.match(/Step with id: `([^`]+)`/)[1];
    const state = body.state.find((s) => s.stepId === failing);
    add(c.id, 'results', step(q.workflowId, failing).results.schema, state.outputs, { errors });
  } else if (code === 'ExecutionStateOutputInvalidError') {
    const [w, s, data] = outputs[c.id];
    add(c.id, 'outputs', step(w, s).outputs.schema, data, { errors });
  } else if (a.status === 200 && outputs[c.id]) {
    const [w, s, data] = outputs[c.id];
    add(c.id, 'outputs', step(w, s).outputs.schema, data, { errors: [], data: a.body.outputs });
  }
}
const file = path.join(__dirname, '..', 'tests', 'fixtures', 'corpus-validation.json');
fs.writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
console.log(`${out.length} corpus validations -> ${file}`);
