// Confirms tools/entity_names.json (the WHATWG table, as written by Python's html.entities) decodes to the
// same text in the entities package htmlparser2 uses: every `&name;`, and every legacy name without `;`.
// Run from the crate root: node tools/check_entities.cjs
const fs = require('fs');
const path = require('path');
const decoder = require('/work/ref/reference/ts-bridge/node_modules/entities/dist/commonjs/decode.js');
const table = JSON.parse(fs.readFileSync(path.join(__dirname, 'entity_names.json'), 'utf8'));
let bad = 0;
for (const [name, value] of Object.entries(table)) {
  const got = name.endsWith(';') ? decoder.decodeHTMLStrict('&' + name) : decoder.decodeHTML('&' + name);
  if (got !== value) {
    bad++;
    console.log('differs:', name, JSON.stringify(got), JSON.stringify(value));
  }
}
console.log(Object.keys(table).length, 'names checked,', bad, 'differ');
process.exitCode = bad ? 1 : 0;
