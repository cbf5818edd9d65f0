// Quick look at what upstream's ajv does: node tools/probe.cjs '<schema json>' '<data json>' [...more data]
const { run } = require('./ajv.cjs');
const schema = JSON.parse(process.argv[2]);
for (const d of process.argv.slice(3)) console.log(JSON.stringify(run(schema, JSON.parse(d))));
