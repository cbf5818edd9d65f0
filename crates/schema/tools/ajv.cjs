// Shared helper: ajv 8 configured exactly as @novu/framework 2.13.2 configures it.
const NM = process.env.REF_NODE_MODULES || '/work/ref/reference/ts-bridge/node_modules/';
const Ajv = require(NM + 'ajv');
const addFormats = require(NM + 'ajv-formats');

function makeAjv() {
  const ajv = new Ajv({ useDefaults: true, removeAdditional: 'failing', strict: false, logger: false });
  addFormats(ajv);
  return ajv;
}

// Runs one (schema, data) pair the way the framework does: validate a deep copy, report
// {path, message} pairs, and return the mutated copy.
function run(schema, data) {
  const ajv = makeAjv();
  let validate;
  try {
    validate = ajv.compile(JSON.parse(JSON.stringify(schema)));
  } catch (e) {
    return { compileError: String(e.message) };
  }
  const copy = JSON.parse(JSON.stringify(data));
  try {
    const ok = validate(copy);
    return {
      valid: ok,
      errors: ok ? [] : validate.errors.map((e) => ({ path: e.instancePath, message: e.message })),
      data: copy,
    };
  } catch (e) {
    return { runtimeError: String(e.message) };
  }
}

module.exports = { makeAjv, run, NM };
