// Extracts the Liquid-related execute cases of the conformance corpus into tests/fixtures/corpus_liquid.json:
// the controls as the step compiles them (request controls + schema defaults), the render context, and what
// upstream's recorded answer says the compiled values were (undoing what the reference resolvers add).
// Usage: node tools/extract_corpus.cjs [conformance dir]
const fs = require('fs');
const path = require('path');
const dir = process.argv[2] || '/work/shared/conformance';
const cases = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));
const expected = Object.fromEntries(JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')).cases.map((c) => [c.id, c]));
const S = JSON.parse(fs.readFileSync(path.join(dir, 'workflows.schemas.json'), 'utf8'));
const prefixes = ['welcome', 'digest', 'delay', 'custom', 'strict', 'prefs', 'execute-env-and-context'];

const withDefaults = (value, schema) => {
  const out = { ...(value || {}) };
  for (const [k, p] of Object.entries((schema && schema.properties) || {})) {
    if (out[k] === undefined && p.default !== undefined) out[k] = p.default;
  }
  return out;
};
// Steps whose string outputs are sanitised: only values without markup or entities can be compared.
const sanitised = (wf, step) => (wf === 'welcome' && step !== 'sms') || (wf === 'digest-flow' && step === 'summary')
  || (wf === 'custom-step' && step === 'notify') || (wf === 'prefs' && step === 'email');
// Compiled control values implied by the recorded outputs of the reference resolvers (workflows.md).
function compiledFromOutputs(wf, step, outputs) {
  const o = outputs;
  switch (`${wf}/${step}`) {
    case 'welcome/inbox': return { subject: o.subject, body: o.body, ...(o.data ? { data: o.data } : {}) };
    case 'welcome/welcome-email': return { subject: o.subject, body: o.body };
    case 'welcome/sms': return o.body === undefined ? {} : { body: o.body };
    case 'digest-flow/summary': return { subject: o.subject, body: o.body.replace(/<p>Total events: \d+<\/p>$/, '') };
    case 'delay-then-push/push': return { subject: o.subject, body: o.body };
    case 'delay-then-push/chat': return { body: o.body };
    case 'custom-step/notify': return { subject: o.subject, prefix: o.body.split(' Score (code): ')[0] };
    case 'strict-payload/notify': return { body: o.body };
    case 'prefs/email': return { subject: o.subject };
    default: return null;
  }
}

const out = [];
for (const c of cases) {
  if (!prefixes.some((p) => c.id.startsWith(p)) || !c.query || c.query.action !== 'execute') continue;
  const exp = expected[c.id];
  const { workflowId: wf, stepId: step } = c.query;
  const controlSchema = S[wf] && S[wf].steps[step] && S[wf].steps[step].controlSchema;
  if (!controlSchema || !c.body) continue;
  let expect;
  if (exp.status === 200) {
    const compiled = compiledFromOutputs(wf, step, exp.body.outputs);
    if (!compiled) continue;
    for (const [k, v] of Object.entries(compiled)) {
      // sanitize-html leaves plain <p>/<b>/<h1> alone; anything else may have been rewritten.
      const markup = typeof v === 'string' && /[<>&]/.test(v.replace(/<\/?(p|b|h1)>/g, ''));
      if (sanitised(wf, step) && markup) delete compiled[k];
    }
    if (!Object.keys(compiled).length) continue;
    expect = { ok: compiled };
  } else if (exp.body.code === 'StepControlCompilationFailedError') {
    expect = { error: exp.body.data };
  } else continue;
  const b = c.body;
  if (b.state !== undefined && !Array.isArray(b.state)) continue; // the caller rejects such state
  const options = S[wf].options || {};
  const steps = {};
  for (const s of b.state || []) steps[s.stepId] = s.outputs;
  const context = {
    workflow: { workflowId: wf, ...(options.name ? { name: options.name } : {}), ...(options.description ? { description: options.description } : {}),
      tags: options.tags || [], severity: options.severity || 'none' },
    payload: withDefaults(b.payload, S[wf].payloadSchema), ...(b.subscriber !== undefined ? { subscriber: b.subscriber } : {}),
    ...(b.actor ? { actor: b.actor } : {}), ...(b.context !== undefined ? { context: b.context } : {}), steps, env: b.env || {},
  };
  out.push({ id: c.id, controls: withDefaults(b.controls, controlSchema), context, expect });
}
const file = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'corpus_liquid.json');
fs.writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${out.length} corpus cases to ${file}`);
