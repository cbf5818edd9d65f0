// Hand-written (schema, data…) cases for the differential fixture. Each entry: [name, schema, [data…]].
const fs = require('fs');
const path = require('path');

const SHARED = process.env.SHARED_DIR || '/work/shared';
const wf = JSON.parse(fs.readFileSync(path.join(SHARED, 'conformance/workflows.schemas.json'), 'utf8'));

const EMPTY = { type: 'object', properties: {}, required: [], additionalProperties: false };
const URL_PATTERN = '^(?!mailto:)(?:(https?):\\/\\/[^\\s/$.?#].[^\\s]*)|^(\\/[^\\s]*)$';
const redirect = {
  type: 'object',
  properties: {
    url: { type: 'string', pattern: URL_PATTERN },
    target: { type: 'string', enum: ['_self', '_blank', '_parent', '_top', '_unfencedTop'], default: '_blank' },
  },
  if: { properties: { url: { type: 'string', pattern: '^/' } } },
  then: { properties: { target: { default: '_self' } } },
  else: { properties: { target: { default: '_blank' } } },
  required: ['url'],
  additionalProperties: false,
};
const action = {
  type: 'object',
  properties: { label: { type: 'string' }, redirect },
  required: ['label'],
  additionalProperties: false,
};
const inAppOutput = {
  type: 'object',
  properties: {
    subject: { type: 'string', minLength: 1 },
    body: { type: 'string', minLength: 1 },
    avatar: { type: 'string', format: 'uri' },
    primaryAction: action,
    secondaryAction: action,
    data: { type: 'object', additionalProperties: true },
    redirect,
  },
  anyOf: [{ required: ['subject'] }, { required: ['body'] }],
  additionalProperties: false,
};
const unit = { type: 'string', enum: ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months'] };
const digestOutput = {
  oneOf: [
    {
      type: 'object',
      properties: {
        type: { enum: ['regular'] }, amount: { type: 'number' }, unit, digestKey: { type: 'string' },
        lookBackWindow: { type: 'object', properties: { amount: { type: 'number' }, unit }, required: ['amount', 'unit'], additionalProperties: false },
        extendToSchedule: { type: 'boolean' },
      },
      required: ['amount', 'unit'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { type: { enum: ['timed'] }, cron: { type: 'string' }, digestKey: { type: 'string' }, extendToSchedule: { type: 'boolean' } },
      required: ['cron'],
      additionalProperties: false,
    },
  ],
};
const inAppResult = {
  type: 'object',
  properties: {
    seen: { type: 'boolean' }, read: { type: 'boolean' },
    lastSeenDate: { type: 'string', format: 'date-time', nullable: true },
    lastReadDate: { type: 'string', format: 'date-time', nullable: true },
  },
  required: ['seen', 'read', 'lastSeenDate', 'lastReadDate'],
  additionalProperties: false,
};
const emailOutput = {
  type: 'object',
  properties: {
    subject: { type: 'string', minLength: 1 }, body: { type: 'string' },
    from: { type: 'object', properties: { email: { type: 'string' }, name: { type: 'string' } }, additionalProperties: false },
    replyTo: { type: 'string' }, preheader: { type: 'string' }, useProviderDefaults: { type: 'boolean' },
  },
  required: ['subject', 'body'],
  additionalProperties: false,
};

const pydantic = {
  $defs: {
    Address: {
      properties: { city: { title: 'City', type: 'string' }, zip: { anyOf: [{ type: 'string', pattern: '^\\d{5}$' }, { type: 'null' }], default: null, title: 'Zip' } },
      required: ['city'], title: 'Address', type: 'object',
    },
    Kind: { enum: ['a', 'b'], title: 'Kind', type: 'string' },
    Node: {
      properties: { name: { type: 'string' }, children: { items: { $ref: '#/$defs/Node' }, type: 'array', default: [] } },
      required: ['name'], type: 'object',
    },
  },
  properties: {
    name: { title: 'Name', type: 'string', minLength: 1 },
    age: { exclusiveMinimum: 0, title: 'Age', type: 'integer', default: 18 },
    email: { format: 'email', title: 'Email', type: 'string' },
    address: { $ref: '#/$defs/Address' },
    maybe: { anyOf: [{ $ref: '#/$defs/Address' }, { type: 'null' }], default: null },
    kind: { $ref: '#/$defs/Kind', default: 'a' },
    tags: { items: { type: 'string' }, title: 'Tags', type: 'array', default: [] },
    pair: { maxItems: 2, minItems: 2, prefixItems: [{ type: 'integer' }, { type: 'string' }], type: 'array' },
    tree: { $ref: '#/$defs/Node' },
    literal: { const: 'x', title: 'Literal', type: 'string', default: 'x' },
    when: { format: 'date-time', type: 'string' },
  },
  required: ['name', 'address'],
  title: 'Payload',
  type: 'object',
};

const cases = [
  // --- brief / spec examples
  ['in_app empty strings', inAppOutput, [{ subject: '', body: '' }]],
  ['in_app redirect defaults', inAppOutput, [
    { body: 'b', redirect: { url: '/rel' } },
    { body: 'b', redirect: { url: 'https://x.com' } },
    { body: 'b', redirect: { url: 'mailto:a@b.c' } },
    { body: 'b', redirect: { url: 'https://x.com', target: '_top' } },
    { body: 'b', primaryAction: { label: 'Open', redirect: { url: '/a' } }, secondaryAction: { label: 'x', redirect: { url: 'http://a.b/c' } } },
    { body: 'b', avatar: 'not a uri' },
    { body: 'b', avatar: 'https://example.com/a.png' },
    {},
    { extra: 1 },
    { subject: 's', data: { a: [1, { b: 2 }] }, extra: true },
    { body: 'b', redirect: { url: 5 } },
    { body: 'b', redirect: { target: '_self' } },
    { body: 'b', primaryAction: { redirect: { url: '/a' } } },
  ]],
  ['enum with minLength and a number', { type: 'string', minLength: 1, enum: ['a', 'b'] }, [5, 'c', '', 'a']],
  ['enum without string keywords and a number', { type: 'string', enum: ['a', 'b'] }, [5, 'c', 'a']],
  ['strict payload', wf['strict-payload'].payloadSchema, [
    { age: 'x', address: 5, tags: 'no' },
    { userId: 'u1', age: 30, address: { zip: '75001' } },
    { userId: 'u1', age: 30.5, email: 'ada@example.com', address: { city: 'Paris', zip: '75001' }, tags: ['a', 'b'] },
    { userId: 'u1', age: 12, address: { city: 'P' } },
    { userId: 'u1', age: 121, address: { city: 'P' } },
    { userId: 'u1', age: 30, address: { city: 'P' }, tags: ['a', 1] },
    { userId: 'u1', age: 30, address: { city: 'P', zip: '7500' } },
    { userId: 'u1', age: 30, email: 'not-an-email', address: { city: 'P' } },
    { userId: 'u1', age: 30, address: null },
    { userId: '', age: 30, address: { city: 'P' } },
    { userId: 'u1', age: 30, address: { city: 'P', extra: 1 }, extra: 2, tags: ['a', 'b', 'c', 'd'] },
    { userId: 'u1', age: 30.0, address: { city: 'P' } },
    { userId: 'u1', age: 1e300, address: { city: 'P' } },
    [], 'x', null,
  ]],
  ['welcome payload', wf.welcome.payloadSchema, [{}, { name: 'x', plan: 'enterprise' }, { plan: 'pro', extra: 1 }, { name: null }]],
  ['digest output', digestOutput, [
    { amount: 1 }, { amount: 1, unit: 'hours' }, { type: 'timed', cron: '* * * * *' },
    { amount: 1, unit: 'hours', cron: 'x' }, { amount: 1, unit: 'hours', digestKey: 'k', lookBackWindow: { amount: 2 } },
    { amount: 1, unit: 'eons' }, 'x', {},
  ]],
  ['in_app results', inAppResult, [
    { seen: false, read: false, lastSeenDate: null, lastReadDate: null },
    { seen: 'no', read: false, lastSeenDate: null, lastReadDate: null },
    { seen: false },
    { seen: false, read: true, lastSeenDate: '2024-01-01T00:00:00Z', lastReadDate: 'yesterday' },
    { seen: false, read: true, lastSeenDate: 5, lastReadDate: null },
  ]],
  ['email output', emailOutput, [
    { subject: '', body: 'b' }, { subject: 's', body: 'b', extra: 1 }, { subject: 's', body: 'b', from: { email: 'e', x: 1 } }, { body: 'b' },
  ]],
  ['empty schema', EMPTY, [{ a: 1 }, [], 'x', null, {}]],
  ['spec 52', { type: 'object', properties: { name: { type: 'string', default: 'Anon' }, count: { type: 'number' } }, additionalProperties: false }, [
    { name: 'x', count: 'abc' }, {}, { name: 'x', extra: 1 }, [1], 'x',
  ]],
  ['delay results', { type: 'object', properties: { duration: { type: 'number' } }, required: ['duration'], additionalProperties: false }, [
    { duration: 'x' }, { duration: 5, extra: 1 },
  ]],
  ['pydantic model', pydantic, [
    { name: 'n', address: { city: 'c' } },
    { name: 'n', address: { city: 'c', zip: '1234' } },
    { name: 'n', address: { city: 'c', zip: null }, maybe: { city: 'd' } },
    { name: 'n', address: { city: 'c' }, maybe: { zip: 5 } },
    { name: 'n', address: { city: 'c' }, age: 0 },
    { name: 'n', address: { city: 'c' }, kind: 'z' },
    { name: 'n', address: { city: 'c' }, pair: [1] },
    { name: 'n', address: { city: 'c' }, pair: ['a', 1] },
    { name: 'n', address: { city: 'c' }, tree: { name: 'a', children: [{ name: 'b', children: [{}] }] } },
    { name: 'n', address: { city: 'c' }, tree: { name: 'a', children: [{ name: 'b' }] } },
    { name: 'n', address: { city: 'c' }, literal: 'y' },
    { name: 'n', address: { city: 'c' }, when: '2024-01-01T10:00:00+02:00', email: 'a@b.co' },
    { name: '', address: {} },
  ]],

  // --- keyword order and type deferral
  ['type deferred behind untyped', { type: 'object', anyOf: [{ required: ['a'] }], properties: {} }, ['x', {}, { a: 1 }]],
  ['number group before object type error', { type: 'object', minimum: 3, properties: {} }, [1, 5, {}]],
  ['string group before object type error', { type: 'object', minLength: 3, properties: {} }, ['ab', 'abc']],
  ['integer upfront', { type: 'integer', minimum: 3 }, ['x', 2, 2.5, 3]],
  ['integer const', { type: 'integer', const: 2 }, ['x', 3, 2, 2.0]],
  ['type list', { type: ['string', 'null'], minLength: 2 }, [1, null, 'a', 'ab']],
  ['type list message', { type: ['number', 'string', 'boolean'] }, [null, [], {}]],
  ['nullable', { type: 'string', nullable: true, enum: ['a', null] }, [null, 'a', 'b', 1]],
  ['nullable object', { type: 'object', nullable: true, properties: { a: { type: 'string', default: 'x' } } }, [null, {}, 1]],
  ['required before properties', { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] }, [{ a: 1 }]],
  ['defaults before required', { type: 'object', properties: { a: { type: 'string', default: 'x' } }, required: ['a'] }, [{}, { a: null }]],
  ['min properties before removal', { type: 'object', properties: { a: {} }, minProperties: 2, additionalProperties: false }, [{ a: 1, b: 2 }, { a: 1 }]],
  ['max properties before removal', { type: 'object', properties: { a: {} }, maxProperties: 1, additionalProperties: false }, [{ a: 1, b: 2 }]],
  ['const object', { const: { a: [1, 2.0] } }, [{ a: [1, 2] }, { a: [2, 1] }, { a: [1, 2], b: 1 }]],
  ['enum mixed', { enum: [1, 'a', null, [1], { x: 1 }] }, [1.0, 'a', null, [1], { x: 1 }, 2, [1, 1], true]],
  ['enum large', { enum: Array.from({ length: 30 }, (_, i) => 'v' + i) }, ['v29', 'v30']],
  ['boolean schemas', { type: 'object', properties: { yes: true, no: false } }, [{ yes: 1 }, { no: 1 }, {}]],
  ['false root', false, [1, null]],
  ['true root', true, [1, null]],
  ['empty root', {}, [1, null, { a: 1 }]],

  // --- numbers
  ['number limits', { type: 'number', maximum: 10, minimum: -1.5, exclusiveMaximum: 9, exclusiveMinimum: -1 }, [10, 9, -1, -1.5, 0, 8.99, 1e308]],
  ['multipleOf', { multipleOf: 0.1 }, [0.3, 0.2, 1, 1e30, 'x']],
  ['multipleOf int', { type: 'integer', multipleOf: 3 }, [9, 10, 9.0, -3, 1e21, 3e20]],
  ['big integers', { type: 'integer', maximum: 12345678901234567000 }, [12345678901234567890, 1.5e19, 9007199254740993]],
  ['integer format', { type: 'number', format: 'int32' }, [2147483647, 2147483648, -2147483648, -2147483649, 1.5]],
  ['int64 and float', { type: 'number', format: 'int64' }, [1.5, 9007199254740993, 1]],
  ['number format on strings', { format: 'int32' }, ['x', 1.5, 3]],
  ['message numbers', { type: 'number', minimum: 1e21, maximum: 1e-7 }, [0, 1]],
  ['minimum 1.0', { type: 'number', minimum: 1.0 }, [0]],

  // --- strings
  ['lengths in code points', { type: 'string', maxLength: 2, minLength: 2 }, ['😀😀', '😀😀😀', 'é', 'ab']],
  ['pattern unanchored', { type: 'string', pattern: 'b+' }, ['abc', 'xyz']],
  ['pattern unicode classes', { type: 'string', pattern: '^\\w+$' }, ['abc_1', 'é']],
  ['pattern digits', { type: 'string', pattern: '^\\d+$' }, ['123', '١٢٣']],
  ['pattern with u escapes', { type: 'string', pattern: '^\\u{1F600}$' }, ['😀', 'x']],
  ['pattern lookbehind', { type: 'string', pattern: '(?<=a)b' }, ['ab', 'cb']],
  ['pattern backref', { type: 'string', pattern: '^(a+)\\1$' }, ['aaaa', 'aaa']],
  ['pattern invalid in u mode', { type: 'string', pattern: '\\-' }, ['-']],
  ['pattern invalid', { type: 'string', pattern: '(' }, ['x']],
  ['format limits', { type: 'string', format: 'date', formatMinimum: '2020-01-01', formatExclusiveMaximum: '2021-01-01' }, ['2019-12-31', '2020-01-01', '2021-01-01', '2020-06-01', 'x']],
  ['format limits time', { type: 'string', format: 'time', formatMaximum: '12:00:00' }, ['11:00:00Z', '13:00:00+01:00', '12:00:00.5']],
  ['format limits date-time', { type: 'string', format: 'date-time', formatMinimum: '2020-01-01T00:00:00Z' }, ['2019-12-31T23:59:59Z', '2020-01-01T00:00:01Z']],
  ['format limit without compare', { type: 'string', format: 'email', formatMaximum: 'x' }, ['a']],
  ['format limit without format', { type: 'string', formatMaximum: 'x' }, ['a']],
  ['unknown format', { type: 'string', format: 'iso-date-time' }, ['nope']],
  ['password format', { type: 'string', format: 'password' }, ['x']],
  ['format on numbers ignored', { format: 'email' }, [5, 'x']],

  // --- arrays
  ['items', { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2 }, [[], ['a', 1], ['a', 'b', 'c'], 'x']],
  ['tuple', { type: 'array', items: [{ type: 'string' }, { type: 'number', default: 0 }], additionalItems: false }, [['a'], ['a', 1, 2], [1], []]],
  ['tuple defaults', { type: 'array', items: [{ default: 'x' }, {}, { default: 3 }] }, [[], ['a'], ['a', 'b']]],
  ['additional items schema', { type: 'array', items: [{}], additionalItems: { type: 'number' } }, [['a', 1, 'b'], ['a', 1]]],
  ['additional items without tuple', { type: 'array', items: { type: 'string' }, additionalItems: false }, [['a', 'b']]],
  ['contains', { type: 'array', contains: { type: 'string' } }, [[1, 2], [1, 'a'], []]],
  ['short tuple skips contains', { items: [true, { type: 'string' }], contains: { type: 'boolean' } }, [[1], [1, 'a'], []]],
  ['short tuple skips uniqueItems', { items: [{ type: 'string' }], uniqueItems: true, contains: { const: 'z' } }, [[], ['a']]],
  ['short tuples in a loop', { type: 'array', items: { type: 'array', items: [{ type: 'string' }], contains: { const: 'z' } } }, [[[]], [['z'], []], [['a'], []]]],
  ['contains in anyOf', { anyOf: [{ type: 'array', contains: { type: 'string' } }, { type: 'null' }] }, [[1, 2], null]],
  ['contains true', { type: 'array', contains: true }, [[], [1]]],
  ['unique scalars', { type: 'array', uniqueItems: true, items: { type: 'number' } }, [[1, 2, 1, 2], [1, 2, 3], [1, 1.0]]],
  ['unique any', { type: 'array', uniqueItems: true }, [[1, 2, 1, 2], [{ a: 1 }, { a: 1.0 }], [[1], [1]], [1, '1']]],
  ['unique strings and numbers', { type: 'array', uniqueItems: true, items: { type: ['string', 'number'] } }, [['1', 1, '1'], [1, '1']]],
  ['unique nullable', { type: 'array', uniqueItems: true, items: { type: 'string', nullable: true } }, [[null, 'a', null]]],
  ['array with prefixItems ignored', { type: 'array', prefixItems: [{ type: 'string' }], minItems: 1 }, [[1], []]],

  // --- objects
  ['additionalProperties false', { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false }, [{ a: 1, b: 2, c: 3 }, { b: 1 }]],
  ['additionalProperties schema removes failing', { type: 'object', properties: { a: {} }, additionalProperties: { type: 'number' } }, [{ a: 'x', b: 2, c: 'y' }]],
  ['additionalProperties schema no defaults', { type: 'object', additionalProperties: { type: 'object', properties: { d: { default: 1 } } } }, [{ x: {}, y: 5 }]],
  ['additionalProperties nested removal kept', { type: 'object', additionalProperties: { type: 'object', properties: { d: {} }, additionalProperties: false } }, [{ x: { d: 1, e: 2 } }]],
  ['patternProperties allowed', { type: 'object', properties: { a: {} }, patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }, [{ a: 1, 'x-b': 's', c: 1 }, { 'x-b': 1 }]],
  ['patternProperties order', { type: 'object', patternProperties: { '.': { type: 'string' } } }, [{ __raw: '{"b":1,"2":2,"1":3}' }, { __raw: '{"b":1,"a":2}' }]],
  ['propertyNames', { type: 'object', propertyNames: { maxLength: 3 } }, [{ abcd: 1 }, { abc: 1 }]],
  ['propertyNames pattern', { type: 'object', propertyNames: { pattern: '^[a-z]+$' } }, [{ __raw: '{"b":1,"A":3,"10":2}' }]],
  ['dependencies', { type: 'object', dependencies: { a: ['b', 'c'], d: ['e'], f: { required: ['g'] } } }, [{ a: 1 }, { d: 1 }, { a: 1, b: 1, c: 1, f: 1 }, { f: 1, g: 1 }]],
  ['dependencies order', { type: 'object', dependencies: { z: { required: ['y'] }, a: ['b'] } }, [{ z: 1, a: 1 }]],
  ['dependencies schema defaults', { type: 'object', dependencies: { a: { properties: { b: { default: 2 } } } } }, [{ a: 1 }, {}]],
  ['property order js', { __raw: '{"type":"object","properties":{"b":{"type":"string"},"2":{"type":"string"},"1":{"type":"string"}}}' }, [{ __raw: '{"b":1,"1":1,"2":1}' }]],
  ['default order js', { __raw: '{"type":"object","properties":{"b":{"default":1},"2":{"default":2},"a":{"default":3}}}' }, [{ __raw: '{"z":0}' }]],
  ['dependencies order js', { __raw: '{"type":"object","dependencies":{"b":["x"],"1":["y"]}}' }, [{ __raw: '{"b":1,"1":1}' }]],
  ['default deep copy', { type: 'object', properties: { a: { default: { x: [1] } }, b: { default: { x: [1] } } } }, [{}]],
  ['default null not replaced', { type: 'object', properties: { a: { type: 'string', default: 'x' } } }, [{ a: null }]],
  ['escaped paths', { type: 'object', properties: { 'a/b': { type: 'object', properties: { 'c~d': { type: 'string' } } } } }, [{ 'a/b': { 'c~d': 1 } }]],

  // --- combinators
  ['anyOf errors', { anyOf: [{ type: 'string' }, { type: 'number', minimum: 5 }] }, [true, 3, 'a', 6]],
  ['anyOf nested', { anyOf: [{ anyOf: [{ type: 'string' }, { type: 'null' }] }, { type: 'number' }] }, [true]],
  ['anyOf always valid branch skipped', { type: 'object', anyOf: [{ properties: { a: {} }, additionalProperties: false }, {}] }, [{ a: 1, b: 2 }]],
  ['anyOf removal adopted', { type: 'object', anyOf: [{ properties: { a: { type: 'string' } }, additionalProperties: false }, { required: ['b'] }] }, [{ a: 'x', b: 2 }]],
  ['oneOf two pass', { oneOf: [{ type: 'number' }, { type: 'integer' }] }, [1, 1.5, 'x']],
  ['oneOf middle failure', { oneOf: [{ type: 'number' }, { type: 'string' }, { minimum: 0 }] }, [1, -1]],
  ['oneOf always valid', { oneOf: [{}, { type: 'string' }] }, [1, 'x']],
  ['allOf', { allOf: [{ type: 'object' }, { required: ['a'] }, { properties: { a: { type: 'string' } } }] }, [{}, { a: 1 }, { a: 'x' }, 5]],
  ['allOf defaults apply', { allOf: [{ properties: { a: { default: 1 } } }] }, [{}]],
  ['anyOf defaults ignored', { anyOf: [{ properties: { a: { default: 1 } } }] }, [{}]],
  ['not', { not: { type: 'string' } }, ['x', 1]],
  ['not true', { not: {} }, [1]],
  ['not false', { not: false }, [1]],
  ['if then else', { if: { type: 'string' }, then: { minLength: 2 }, else: { type: 'number' } }, ['a', 'ab', true, 3]],
  ['if then only', { if: { type: 'string' }, then: { minLength: 2 } }, ['a', 3]],
  ['if else only', { if: { type: 'string' }, else: { const: 1 } }, [2, 'x']],
  ['if without then', { if: { type: 'string' } }, [1]],
  ['if defaults', { type: 'object', if: { properties: { a: { const: 1 } } }, then: { properties: { b: { default: 'then' } } }, else: { properties: { b: { default: 'else' } } } }, [{ a: 1 }, { a: 2 }, {}]],
  ['if condition mutates', { type: 'object', if: { properties: { a: {} }, additionalProperties: false }, then: { properties: { x: { default: 1 } } } }, [{ a: 1, b: 2 }]],
  ['upfront type then untyped in composite', { anyOf: [{ type: 'string', enum: ['a'] }] }, [5]],
  ['upfront type then untyped in composite 2', { anyOf: [{ type: 'integer', minimum: 3, not: { type: 'string' }, const: 2 }] }, ['x']],
  ['upfront type then anyOf in composite', { anyOf: [{ type: 'boolean', anyOf: [{ const: 1 }, { const: 2 }] }] }, [3]],

  // --- references
  ['ref definitions', { definitions: { s: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/definitions/s' } } }, [{ a: 1 }, { a: 'x' }]],
  ['ref with siblings', { definitions: { s: { type: 'string' } }, $ref: '#/definitions/s', minLength: 3 }, ['ab', 1, 'abc']],
  ['ref only with default sibling', { type: 'object', properties: { a: { $ref: '#/definitions/s', default: 'd' } }, definitions: { s: { type: 'string' } } }, [{}]],
  ['recursive ref', { type: 'object', properties: { name: { type: 'string' }, kids: { type: 'array', items: { $ref: '#' } } }, required: ['name'] }, [{ name: 'a', kids: [{ name: 'b', kids: [{}] }] }, { name: 'a', kids: [{ name: 'b' }] }]],
  ['ref to $id', { $id: 'http://example.com/root.json', definitions: { a: { $id: 'a.json', type: 'integer' } }, properties: { x: { $ref: 'a.json' } } }, [{ x: 1.5 }, { x: 1 }]],
  ['nested relative ids', {
    $id: 'http://example.com/schemas/root.json',
    definitions: {
      sub: { $id: 'sub/inner.json', definitions: { leaf: { type: 'string' } }, properties: { l: { $ref: '#/definitions/leaf' }, n: { $ref: 'num.json' } } },
      num: { $id: 'sub/num.json', type: 'number' },
    },
    properties: { s: { $ref: 'sub/inner.json' }, t: { $ref: 'http://example.com/schemas/sub/inner.json#/definitions/leaf' } },
  }, [{ s: { l: 1 } }, { s: { n: 'x' } }, { t: 1 }, { s: { l: 'a', n: 1 }, t: 'b' }]],
  ['relative root id', { $id: 'schemas/x.json', definitions: { a: { type: 'integer' } }, properties: { p: { $ref: '#/definitions/a' }, q: { $ref: 'x.json#/definitions/a' } } }, [{ p: 1.5 }, { q: 'x' }, { p: 1, q: 2 }]],
  ['zod-to-json-schema style', { type: 'object', properties: { a: { type: 'string' }, b: { $ref: '#/properties/a' }, c: { type: ['string', 'null'] }, d: { anyOf: [{ not: {} }, { type: 'number' }] } }, required: ['a'], additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' }, [{ a: 'x', b: 1 }, { a: 'x', b: 'y', c: null, d: 1, e: 2 }, { a: 'x', d: 'q' }]],
  ['ref anchor', { definitions: { a: { $id: '#anc', type: 'integer' } }, properties: { x: { $ref: '#anc' } } }, [{ x: 'a' }]],
  ['ref escaped pointer', { definitions: { 'a/b': { type: 'integer' }, 'c~d': { type: 'string' } }, properties: { x: { $ref: '#/definitions/a~1b' }, y: { $ref: '#/definitions/c~0d' } } }, [{ x: 'a', y: 1 }, { x: 1, y: 1 }]],
  ['ref missing', { $ref: '#/definitions/nope' }, [1]],
  ['ref remote', { $ref: 'http://example.com/other.json' }, [1]],
  ['call ref resets composite (defaults in anyOf)', {
    definitions: { obj: { type: 'object', properties: { d: { default: 1 }, n: { $ref: '#/definitions/leaf' } } }, leaf: { type: 'string' } },
    anyOf: [{ $ref: '#/definitions/obj' }],
  }, [{}, { n: 1 }]],
  ['inline ref keeps composite', { definitions: { obj: { type: 'object', properties: { d: { default: 1 } } } }, anyOf: [{ $ref: '#/definitions/obj' }] }, [{}]],
  ['contains through call ref', { definitions: { c: { type: 'array', contains: { $ref: '#/definitions/s' } }, s: { type: 'string' } }, anyOf: [{ $ref: '#/definitions/c' }] }, [[1, 2]]],
  ['if clause failing through a called ref', { definitions: { r: { type: 'object', properties: { a: { $ref: '#/definitions/r' } } } }, if: { type: 'number' }, then: { $ref: '#/definitions/r' } }, [1, 'x']],
  ['if clause failing through a nested called ref', { definitions: { r: { type: 'object', properties: { a: { $ref: '#/definitions/r' } } } }, if: { type: 'number' }, then: { properties: {}, allOf: [{ $ref: '#/definitions/r' }] } }, [1]],
  ['ref chain', { definitions: { a: { $ref: '#/definitions/b' }, b: { type: 'object', properties: { d: { default: 1 } } } }, anyOf: [{ $ref: '#/definitions/a' }] }, [{}]],

  // --- known divergences (see KNOWN in tests/ajv_vectors.rs)
  ['divergence: anyOf branches on copies', { type: 'object', anyOf: [{ properties: { a: { type: 'string' } }, additionalProperties: false }, { required: ['b'] }] }, [{ a: 1, b: 2 }]],
  ['divergence: oneOf failing branch leaves nothing', { type: 'object', oneOf: [{ properties: { a: { type: 'string' } }, additionalProperties: false }, { required: ['b'] }] }, [{ a: 1, b: 2 }]],
  ['divergence: inherited property names', { type: 'object', required: ['constructor'], properties: { toString: { type: 'string' } } }, [{}]],
  ['divergence: tuple default holes', { type: 'array', items: [{ type: 'null' }, { default: 'x' }] }, [[]]],
  ['backreference to a group that did not match', { type: 'string', pattern: '^(?:(a)|b)\\1$' }, ['b', 'aa', 'a']],
  ['forward and self references', { type: 'string', pattern: '^\\2(a\\1)(b)$' }, ['ab', 'aab']],
  ['divergence: huge repetition count', { type: 'string', pattern: 'a{1000000}' }, ['a']],

  // --- schema errors
  ['invalid type', { type: 'foo' }, [1]],
  ['invalid minLength', { type: 'string', minLength: -1 }, ['x']],
  ['empty enum', { enum: [] }, [1]],
  ['nullable without type', { nullable: true }, [null]],
  ['id keyword', { type: 'object', id: 'x' }, [{}]],
  ['draft 2020', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }, [{}]],
  ['draft 07 ok', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, [1]],
  ['required not array', { type: 'object', required: 'a' }, [{}]],
  ['properties not object', { properties: 5 }, [{}]],
  ['items empty array', { items: [] }, [[]]],
  ['defs not meta validated', { type: 'object', $defs: { x: { minLength: -1 } } }, [{}]],
  ['definitions meta validated', { type: 'object', definitions: { x: { minLength: -1 } } }, [{}]],
  ['bad pattern property', { patternProperties: { '(': {} } }, [{}]],
  ['unknown keywords', { type: 'string', foo: { type: 'number' }, examples: [1], description: 'd', title: 't', deprecated: true }, ['x', 1]],
];

module.exports = { cases, schemas: { inAppOutput, digestOutput, inAppResult, emailOutput, pydantic, EMPTY } };
