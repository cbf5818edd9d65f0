// Records what liquidjs 10.30.1 renders, with the Liquid instance @novu/framework 2.13.2 builds (its output
// escaping and its `json`, `digest`, `toSentence` and `pluralize` filters), for tests/liquidjs_vectors.rs.
// Usage: TZ=UTC node crates/liquid/tools/gen_render_vectors.cjs [node_modules dir]
//
// Upstream renders templates inside a JSON document and parses the result; this crate renders one string
// and returns what that parse gives. So each template is rendered straight through Novu's engine and the
// output decoded as the body of a JSON string. Only templates that are JSON-string-safe as they are (no
// `"`, `\` or control characters, which upstream would see escaped) are recorded, and only outputs that
// decode (the others are what upstream's jsonrepair step rewrites; the core's control vectors cover it).
// Templates come from the core's control vectors (hand-written and seeded random ones) plus the cases
// below; the render context is theirs (crates/core/tools/controls/liquid_context.cjs).
const path = require('path');
const fs = require('fs');
const NM = process.argv[2] || '/work/ref/reference/ts-bridge/node_modules';
const { Client } = require(path.join(NM, '@novu/framework'));
const { event, workflowOptions } = require('../../core/tools/controls/liquid_context.cjs');

const engine = new Client({ secretKey: 'x', strictAuthentication: false, verbose: false }).templateEngine;
const steps = {};
for (const s of event.state) steps[s.stepId] = s.outputs;
const context = {
  workflow: { workflowId: event.workflowId, name: workflowOptions.name, description: workflowOptions.description,
    tags: workflowOptions.tags, severity: 'none' },
  payload: event.payload, subscriber: event.subscriber, actor: event.actor, context: event.context, steps, env: event.env,
};

const own = [
  '{{ payload.obj }}', '{{ payload.users }}', '{{ payload.users | json }}', '{{ payload.users | json: 2 }}',
  '{{ payload.quote }}', '{% capture c %}{{ payload.quote }}{% endcapture %}{{ c }}', '{{ payload.objq | json }}',
  "{{ payload.events | digest: 'payload.item' }}", "{{ payload.users | toSentence: 'name', 2, 'others' }}",
  "{{ payload.int | pluralize: 'apple' }}", "{{ 1 | pluralize: 'box', 'boxen' }}", '{{ payload.multiline }}',
  "{% for u in payload.users %}{{ forloop.index }}:{{ u.name | upcase }}{% unless forloop.last %}, {% endunless %}{% endfor %}",
  "{% assign x = payload.words | sort | join: '/' %}{{ x }}", "{{ payload.date | date: '%A %d %B %Y %H:%M' }}",
  '{% if payload.missing == nil %}nil{% endif %}', '{{ payload.nums | sum }} {{ payload.nums | sort | first }}',
];
const controlStrings = (file) => {
  const data = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'core', 'tests', 'fixtures', file), 'utf8'));
  const out = [];
  const walk = (v) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const c of data.cases) walk(c.controls);
  return out;
};
const safe = (t) => !/["\\\u0000-\u001f]/.test(t) && !/\b(now|today)\b/.test(t) && /\{[{%]/.test(t);
const templates = [...new Set([...own, ...controlStrings('liquid_vectors.json'), ...controlStrings('liquid_fuzz_vectors.json')])]
  .filter(safe);

async function main() {
  const cases = [];
  let undecodable = 0;
  for (const template of templates) {
    try {
      // A copy each time: liquidjs `assign`s into the object it is given.
      const rendered = await engine.parseAndRender(template, structuredClone(context));
      let output;
      try {
        output = JSON.parse(`"${rendered}"`);
      } catch (e) {
        undecodable += 1;
        continue;
      }
      cases.push({ template, output });
    } catch (e) {
      cases.push({ template, error: e.name });
    }
  }
  const file = path.join(__dirname, '..', 'tests', 'fixtures', 'liquidjs_vectors.json');
  const doc = { generatedWith: 'liquidjs 10.30.1 with @novu/framework 2.13.2 filters and output escaping', context, cases };
  fs.writeFileSync(file, JSON.stringify(doc, null, 0).replace(/\},\{"template"/g, '},\n{"template"') + '\n');
  console.log(`wrote ${cases.length} vectors to ${file} (${undecodable} outputs that do not decode left out)`);
}
main();
