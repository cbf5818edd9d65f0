// Records what @novu/framework 2.13.2 (liquidjs 10.30.1) makes of control templates, for the Rust tests.
// Usage: node tools/gen_vectors.cjs [node_modules dir]  -> writes tests/fixtures/liquid_vectors.json
// Every case is compiled by the SDK's own Client#compileControls against one fixed event.
const path = require('path');
const fs = require('fs');
const NM = process.argv[2] || '/work/ref/reference/ts-bridge/node_modules';
const { Client, workflow } = require(path.join(NM, '@novu/framework'));
const { event, workflowOptions } = require('./liquid_context.cjs');
const cases = require('./liquid_cases.cjs');

async function main() {
  const wf = workflow(event.workflowId, async ({ step }) => {
    await step.inApp(event.stepId, async (c) => ({ body: String(c.subject) }));
  }, workflowOptions);
  const client = new Client({ secretKey: 'x', strictAuthentication: false, verbose: false });
  await client.addWorkflows([wf]);
  const def = client.getWorkflow(event.workflowId);
  // The render context exactly as compileControls builds it (steps: later state entries win).
  const steps = {};
  for (const s of event.state) steps[s.stepId] = s.outputs;
  const context = {
    workflow: { workflowId: def.workflowId, name: def.name, description: def.description, tags: def.tags, severity: def.severity },
    payload: event.payload, subscriber: event.subscriber, ...(event.actor && { actor: event.actor }),
    context: event.context, steps, env: event.env ?? {},
  };
  const out = [];
  for (const c of cases) {
    const controls = c.controls ?? { subject: c.t };
    let expect;
    try {
      expect = { ok: await client.compileControls(JSON.parse(JSON.stringify(controls)), event) };
    } catch (e) {
      expect = { error: JSON.parse(JSON.stringify(e.data ?? {})) };
    }
    out.push({ ...(c.note ? { note: c.note } : {}), controls, expect });
  }
  const file = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'liquid_vectors.json');
  fs.writeFileSync(file, JSON.stringify({ context, cases: out }, null, 1) + '\n');
  console.log(`wrote ${out.length} vectors to ${file}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
