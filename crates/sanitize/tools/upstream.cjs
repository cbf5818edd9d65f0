// Loads @novu/framework 2.13.2's own output sanitiser out of its bundle (the wrapper functions are not
// exported, so their source text is cut out and evaluated against the installed sanitize-html).
const fs = require('fs');
const NM = '/work/ref/reference/ts-bridge/node_modules/';
const bundle = fs.readFileSync(NM + '@novu/framework/dist/cjs/index.cjs', 'utf8');
const start = bundle.indexOf('ex=["src","alt"');
const end = bundle.indexOf('function Xf(', start);
if (start < 0 || end < 0) throw new Error('sanitiser not found in bundle');
const body = bundle.slice(start, end).replace(/,Qo=/, ';const Qo=');
// eslint-disable-next-line no-new-func
const make = new Function('Ul', 'let ' + body + '; return { sanitizeHtml: Kf, sanitizeObject: Qo };');
module.exports = make({ default: require(NM + 'sanitize-html') });

if (require.main === module) {
  const input = process.argv[2] !== undefined ? process.argv[2] : fs.readFileSync(0, 'utf8');
  process.stdout.write(JSON.stringify(module.exports.sanitizeHtml(input)) + '\n');
}
