// Random (seeded, reproducible) templates built from Liquid pieces, recorded through upstream's
// Client#compileControls like gen_vectors.cjs. Writes tests/fixtures/liquid_fuzz_vectors.json.
// Usage: node tools/gen_fuzz_vectors.cjs [count] [seed] [node_modules dir]
const path = require('path');
const fs = require('fs');
const COUNT = Number(process.argv[2] || 1500);
let seed = Number(process.argv[3] || 20240607);
const NM = process.argv[4] || '/work/ref/reference/ts-bridge/node_modules';
const { Client, workflow } = require(path.join(NM, '@novu/framework'));
const { event, workflowOptions } = require('./liquid_context.cjs');

// mulberry32
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const chance = (p) => rnd() < p;

const paths = ['payload.name', 'payload.num', 'payload.int', 'payload.neg', 'payload.zero', 'payload.bool', 'payload.f', 'payload.nul',
  'payload.missing', 'payload.str', 'payload.arr', 'payload.nums', 'payload.words', 'payload.users', 'payload.obj', 'payload.nested.x',
  'payload.users[0]', 'payload.users[1].name', 'payload.users.first.age', 'payload.words.last', 'payload.unicode', 'payload.quote',
  'payload.html', 'payload.empty', 'payload.emptyArr', 'payload.emptyObj', 'payload.spaces', 'payload.csv', 'payload.three',
  'payload.numstr', 'payload.date', 'payload.ts', 'payload.mixed', 'payload.dupes', 'payload.deep', 'payload.events', 'payload.sizeobj',
  'subscriber.firstName', 'subscriber.data', 'steps.custom-1.n', 'steps.custom-1.list', 'workflow.tags', 'env.name', 'x', 'y', 'i', 'forloop.index', 'c',
  'forloop', 'forloop.last', 'forloop.rindex0', 'payload.arr[-1]', "payload['custom-key']", 'payload.words[payload.idx]', 'payload.str.size', 'payload.numkeys',
  'payload.arraylike', 'payload.objq', 'payload.tiny', 'payload.big', 'payload.cjk', 'payload.multiline', 'payload.url', 'payload.b64', 'payload.ctrl',
  'payload.bools', 'payload.strnums', 'payload.date2', 'payload.dateLocal', 'payload.tsStr', 'n', 'm', 'size', 'first', 'payload.users.size', 'x.size', 'x[0]', 'x.first'];
const literals = ["'%Y-%m-%d %H:%M'", "'%a %b %e %-d %j %U %W %s'", "'%c'", "'ordinal'", "'US'", "'-'", "'  '", "'\\'", '3.14159', '1e21', '0.1', '-0', '1000000', "'0x10'", "'1e3'", '(0..0)', '(2..1)',"'a'", "'b c'", "''", "' '", "'x,y'", "'it\\'s'", "'é😀'", '0', '1', '2', '-1', '2.5', '10', 'true', 'false', 'nil', 'empty', 'blank', '(1..3)', "'3'", "'-2'"];
const filters = {
  append: 1, prepend: 1, upcase: 0, downcase: 0, capitalize: 0, strip: 0, lstrip: 0, rstrip: 0, size: 0, first: 0, last: 0, reverse: 0,
  join: 1, split: 1, sort: 0, sort_natural: 0, uniq: 0, compact: 0, map: 1, where: 2, reject: 2, sum: 0, concat: 1, push: 1, pop: 0,
  shift: 0, unshift: 1, slice: 2, plus: 1, minus: 1, times: 1, divided_by: 1, modulo: 1, abs: 0, ceil: 0, floor: 0, round: 1,
  at_least: 1, at_most: 1, default: 1, replace: 2, replace_first: 2, replace_last: 2, remove: 1, remove_first: 1, remove_last: 1,
  truncate: 2, truncatewords: 2, escape: 0, escape_once: 0, strip_html: 0, newline_to_br: 0, strip_newlines: 0, url_encode: 0,
  url_decode: 0, base64_encode: 0, json: 1, jsonify: 0, to_integer: 0, date: 1, array_to_sentence_string: 1, number_of_words: 0,
  normalize_whitespace: 0, squish: 0, digest: 2, toSentence: 2, pluralize: 2, find: 2, find_index: 2, has: 2, group_by: 1,
  where_exp: 2, slugify: 0, cgi_escape: 0, xml_escape: 0, nosuch: 1, date_to_xmlschema: 0, date_to_rfc822: 0, date_to_string: 2,
  date_to_long_string: 2, inspect: 1, base64_decode: 0, sha256: 0, uri_escape: 0, reject_exp: 2, find_exp: 2, has_exp: 2, group_by_exp: 2,
  find_index_exp: 2, sort: 1, sort_natural: 1, sum: 1, uniq: 0, squish: 0, truncate: 2, hmac_sha256: 1,
};
const propArgs = ["'name'", "'age'", "'role'", "'profile.name'", "'size'", "'x'", "'a'"];
const value = () => (chance(0.6) ? pick(paths) : pick(literals));
const filterCall = () => {
  const name = pick(Object.keys(filters));
  const n = Math.min(filters[name], Math.floor(rnd() * (filters[name] + 1)) + (chance(0.7) ? filters[name] : 0));
  if (name.endsWith('_exp')) return `${name}: 'u', ${pick(["'u.age > 26'", "'u'", "'u.name | upcase'", "'u contains 1'", "'u == 3'", "'u.role == x'"])}`;
  const args = [];
  for (let k = 0; k < Math.min(n, filters[name]); k++) args.push(['map', 'where', 'reject', 'find', 'find_index', 'has', 'group_by'].includes(name) && k === 0 ? pick(propArgs) : value());
  return args.length ? `${name}: ${args.join(', ')}` : name;
};
const filtered = () => { let s = value(); const k = Math.floor(rnd() * 3); for (let j = 0; j < k; j++) s += ` | ${filterCall()}`; return s; };
const condition = () => {
  let s = value();
  if (chance(0.6)) s += ` ${pick(['==', '!=', '>', '<', '>=', '<=', 'contains'])} ${value()}`;
  if (chance(0.3)) s += ` ${pick(['and', 'or'])} ${condition()}`;
  return s;
};
// No '{' or '[' in text: upstream's JSON repair breaks on strings with unbalanced opening brackets (a
// documented divergence), which would hide everything else.
const texts = ['x', ' ', 'a b', '"q"', 'back\\slash', 'line\nbreak', 'tab\t', 'é😀', '}', ']', ',', "'", '\u00a0', '%', '-'];
const dash = (open) => (chance(0.15) ? (open ? '-' : '-') : '');
function block(depth) {
  const parts = [];
  const n = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < n; k++) {
    const r = rnd();
    if (r < 0.25 || depth > 2) parts.push(pick(texts));
    else if (r < 0.5) parts.push(`{{${dash(1)} ${filtered()} ${dash(0)}}}`);
    else if (r < 0.6) parts.push(`{%${dash(1)} if ${condition()} ${dash(0)}%}${block(depth + 1)}${chance(0.4) ? `{% else %}${block(depth + 1)}` : ''}{%${dash(1)} endif ${dash(0)}%}`);
    else if (r < 0.65) parts.push(`{% unless ${condition()} %}${block(depth + 1)}{% endunless %}`);
    else if (r < 0.72) parts.push(`{% for i in ${pick(['(1..3)', 'payload.nums', 'payload.users', 'payload.words', 'payload.obj', 'payload.missing', 'payload.str', '(0..payload.three)'])}${chance(0.3) ? ` ${pick(['limit: 2', 'offset: 1', 'reversed', 'limit: 1 offset: 1'])}` : ''} %}${block(depth + 1)}${chance(0.2) ? '{% break %}' : ''}{% endfor %}`);
    else if (r < 0.8) parts.push(`{% assign ${pick(['x', 'y'])} = ${filtered()} %}`);
    else if (r < 0.85) parts.push(`{% capture c %}${block(depth + 1)}{% endcapture %}`);
    else if (r < 0.9) parts.push(`{% case ${value()} %}{% when ${value()} %}${block(depth + 1)}{% when ${value()}, ${value()} %}${block(depth + 1)}{% else %}${block(depth + 1)}{% endcase %}`);
    else if (r < 0.93) parts.push(`{% cycle 'a', 'b', ${value()} %}`);
    else if (r < 0.96) parts.push(`{% ${pick(['increment', 'decrement'])} ${pick(['n', 'x', 'm'])} %}`);
    else if (r < 0.97) parts.push(`{% echo ${filtered()} %}`);
    else if (r < 0.975) parts.push(`{% raw %}${pick(texts)}{{ x }}{% endraw %}`);
    else if (r < 0.98) parts.push(`{% comment %}${block(depth + 1)}{% endcomment %}`);
    else if (r < 0.985) parts.push(`{% liquid ${pick(['echo x', 'assign x = 5', 'increment n', 'echo payload.name | upcase', '# note'])} %}`);
    else if (r < 0.99) parts.push(`{% capture t %}{% tablerow u in ${pick(['payload.users', '(1..5)', 'payload.words'])} cols: ${pick(['2', '3', "'2'", 'payload.three'])} %}${block(depth + 1)}{% endtablerow %}{% endcapture %}{{ t }}`);
    else if (r < 0.995) parts.push(`{% cycle ${pick(["'g'", 'x', 'payload.name'])}: 'a', 'b' %}`);
    else parts.push(`{{ ${value()} ${pick(['==', '!=', '>', '<', 'contains', 'and', 'or'])} ${value()} }}`);
  }
  return parts.join('');
}

async function main() {
  const wf = workflow(event.workflowId, async ({ step }) => {
    await step.inApp(event.stepId, async (c) => ({ body: String(c.subject) }));
  }, workflowOptions);
  const client = new Client({ secretKey: 'x', strictAuthentication: false, verbose: false });
  await client.addWorkflows([wf]);
  const out = [];
  for (let k = 0; k < COUNT; k++) {
    const controls = chance(0.8) ? { subject: block(0) } : { subject: block(1), body: block(1) };
    let expect;
    try {
      expect = { ok: await client.compileControls(JSON.parse(JSON.stringify(controls)), event) };
    } catch (e) {
      expect = { error: JSON.parse(JSON.stringify(e.data ?? {})) };
    }
    // Skip upstream's JSON-repair failures (control characters or unbalanced brackets in a rendered
    // string: documented divergences, rendered as written here) and outputs a Rust string cannot hold
    // (lone surrogates).
    if (expect.error && 'position' in expect.error) continue;
    if (/[\ud800-\udfff]/.test(JSON.stringify(expect).replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) continue;
    out.push({ controls, expect });
  }
  const file = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'liquid_fuzz_vectors.json');
  fs.writeFileSync(file, JSON.stringify({ cases: out }) + '\n');
  console.log(`wrote ${out.length} vectors to ${file}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
