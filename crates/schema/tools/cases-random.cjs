// Seeded random (schema, data…) cases for the differential fixture: schemas mixing keywords of every
// group, data generated to be near-valid and then perturbed, so that every keyword gets to fail first.

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeGen(seed) {
  const r = rng(seed);
  const chance = (p) => r() < p;
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const NAMES = ['a', 'b', 'c', 'd', '1', 'x-y', 'e/f'];
  const PATTERNS = ['^a', 'b$', '^[0-9]{2}$', '\\d', '^\\w+$', '^(?!x)', '^.{2,3}$', '[A-Z]'];
  const FORMATS = ['email', 'date', 'date-time', 'uri', 'uuid', 'ipv4', 'hostname', 'time', 'unknown-fmt', 'int32'];
  const STRINGS = ['', 'a', 'ab', 'abc', 'b', '12', 'x', 'A1', 'a@b.co', '2024-01-01', '2024-01-01T00:00:00Z', 'http://x.io', '1.2.3.4', 'héllo', '😀'];

  function scalarSchema(depth) {
    const type = pick(['string', 'number', 'integer', 'boolean', 'null', ['string', 'null'], ['number', 'string'], undefined]);
    const s = {};
    if (type !== undefined) s.type = type;
    const t = Array.isArray(type) ? type[0] : type;
    if (t === 'string' || (t === undefined && chance(0.3))) {
      if (chance(0.3)) s.minLength = int(0, 3);
      if (chance(0.3)) s.maxLength = int(1, 4);
      if (chance(0.25)) s.pattern = pick(PATTERNS);
      if (chance(0.25)) s.format = pick(FORMATS);
    }
    if (t === 'number' || t === 'integer' || (t === undefined && chance(0.3))) {
      if (chance(0.3)) s.minimum = int(-5, 5);
      if (chance(0.3)) s.maximum = int(0, 10);
      if (chance(0.2)) s.exclusiveMinimum = int(-5, 5);
      if (chance(0.2)) s.exclusiveMaximum = int(0, 10);
      if (chance(0.2)) s.multipleOf = pick([2, 0.5, 3]);
    }
    if (type === 'string' && chance(0.15)) s.nullable = true;
    untyped(s, depth);
    return s;
  }

  function untyped(s, depth) {
    if (chance(0.12)) s.enum = [pick(STRINGS), int(0, 5), null].slice(0, int(1, 3));
    if (chance(0.08)) s.const = pick([1, 'a', null, { a: 1 }]);
    if (depth < 3) {
      if (chance(0.08)) s.not = scalarSchema(depth + 1);
      if (chance(0.1)) s.anyOf = [schema(depth + 1), schema(depth + 1)];
      if (chance(0.1)) s.oneOf = [schema(depth + 1), schema(depth + 1)];
      if (chance(0.06)) s.allOf = [schema(depth + 1), schema(depth + 1)];
      if (chance(0.08)) {
        s.if = scalarSchema(depth + 1);
        if (chance(0.8)) s.then = schema(depth + 1);
        if (chance(0.6)) s.else = schema(depth + 1);
      }
    }
  }

  function objectSchema(depth) {
    const s = { type: 'object' };
    if (chance(0.1)) delete s.type;
    const props = {};
    const n = int(0, 3);
    for (let i = 0; i < n; i++) {
      const name = pick(NAMES);
      props[name] = schema(depth + 1);
      if (chance(0.25)) props[name].default = pick(['dflt', 3, null, { z: 1 }, [1]]);
    }
    if (n > 0 || chance(0.5)) s.properties = props;
    if (chance(0.5)) s.required = [...new Set(Array.from({ length: int(1, 2) }, () => pick(NAMES)))];
    const ap = r();
    if (ap < 0.35) s.additionalProperties = false;
    else if (ap < 0.5) s.additionalProperties = schema(depth + 1);
    else if (ap < 0.55) s.additionalProperties = true;
    if (chance(0.15)) s.patternProperties = { '^x': schema(depth + 1) };
    if (chance(0.1)) s.propertyNames = { maxLength: int(1, 3) };
    if (chance(0.1)) s.minProperties = int(1, 3);
    if (chance(0.1)) s.maxProperties = int(0, 2);
    if (chance(0.1)) s.dependencies = { a: ['b'], c: { required: ['d'] } };
    untyped(s, depth);
    return s;
  }

  function arraySchema(depth) {
    const s = { type: 'array' };
    if (chance(0.25)) {
      s.items = [schema(depth + 1), schema(depth + 1)];
      if (chance(0.3)) s.items[0].default = 'd0';
      if (chance(0.5)) s.additionalItems = chance(0.5) ? false : schema(depth + 1);
    } else if (chance(0.8)) s.items = schema(depth + 1);
    if (chance(0.2)) s.minItems = int(0, 2);
    if (chance(0.2)) s.maxItems = int(0, 3);
    if (chance(0.15)) s.contains = scalarSchema(depth + 1);
    if (chance(0.2)) s.uniqueItems = true;
    untyped(s, depth);
    return s;
  }

  let refsEnabled = false;
  function schema(depth) {
    if (chance(0.04)) return pick([true, false, {}]);
    if (refsEnabled && chance(0.1)) {
      const ref = { $ref: pick(['#/definitions/d0', '#/definitions/d1', '#/definitions/d2', '#']) };
      if (chance(0.2)) ref.type = pick(['object', 'string', 'array']);
      if (chance(0.2)) ref.default = pick([1, 'x', {}]);
      return ref;
    }
    if (depth >= 3) return scalarSchema(depth);
    const k = r();
    if (k < 0.3) return objectSchema(depth);
    if (k < 0.45) return arraySchema(depth);
    return scalarSchema(depth);
  }

  // Data near the schema: follows types, properties and items, with random noise.
  function data(s, depth) {
    if (depth > 4) return null;
    if (s === true || s === false || s === undefined) return pick([1, 'a', null, {}]);
    if (chance(0.12)) return pick([1, 2.5, -3, 'a', 'ab', '', null, true, [], {}, [1, 1], { a: 1 }]);
    if (s.enum && chance(0.5)) return pick(s.enum);
    if (s.const !== undefined && chance(0.5)) return s.const;
    const branch = s.anyOf || s.oneOf || s.allOf;
    if (branch && chance(0.4)) return data(pick(branch), depth + 1);
    const type = Array.isArray(s.type) ? pick(s.type) : s.type;
    switch (type) {
      case 'object': {
        const o = {};
        for (const [k, v] of Object.entries(s.properties || {})) if (chance(0.7)) o[k] = data(v, depth + 1);
        for (const k of s.required || []) if (!(k in o) && chance(0.7)) o[k] = 'r';
        if (chance(0.4)) o[pick(['extra', 'x1', 'zz', '0'])] = data(s.additionalProperties, depth + 1);
        return o;
      }
      case 'array': {
        const n = int(0, 3);
        const items = [];
        for (let i = 0; i < n; i++) {
          const is = Array.isArray(s.items) ? s.items[i] || s.additionalItems : s.items;
          items.push(data(is, depth + 1));
        }
        if (chance(0.2) && items.length) items.push(items[0]);
        return items;
      }
      case 'string':
        return pick(STRINGS);
      case 'integer':
        return int(-6, 12);
      case 'number':
        return pick([int(-6, 12), 0.5, 1.5, 2, 10, 4.5]);
      case 'boolean':
        return chance(0.5);
      case 'null':
        return null;
      default:
        return pick([pick(STRINGS), int(-3, 8), null, { a: 'ab' }, ['a', 'b']]);
    }
  }

  // A root schema with definitions that subschemas may reference (some recursively).
  function rootSchema() {
    refsEnabled = chance(0.3);
    const s = schema(0);
    if (refsEnabled && s && typeof s === 'object') {
      s.definitions = { d0: objectSchema(2), d1: scalarSchema(2), d2: { type: 'object', properties: { n: { $ref: '#/definitions/d1' }, k: { default: 'kd' } } } };
    }
    refsEnabled = false;
    return s;
  }

  return { schema: rootSchema, data, int };
}

function randomCases(count, seed) {
  const g = makeGen(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const s = g.schema();
    const ds = [];
    for (let j = 0; j < 3; j++) ds.push(g.data(s, 0));
    out.push([`random ${i}`, s, ds]);
  }
  return out;
}

module.exports = { randomCases };
