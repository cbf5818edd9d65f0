// The event every vector is compiled against (the render context is derived from it like upstream does).
module.exports.workflowOptions = { name: 'WF Name', description: 'Describes "it"', tags: ['t1', 't2'] };
module.exports.event = {
  workflowId: 'wf',
  stepId: 'inbox',
  action: 'execute',
  payload: {
    name: 'Bob', plan: 'pro', num: 1.5, int: 42, neg: -3, zero: 0, big: 1e21, tiny: 1e-7, bool: true, f: false, nul: null,
    str: 'hello world', arr: [1, 'a', null, true], nums: [3, 1, 2, 10, -4.5], strnums: ['10', '9', '100'],
    words: ['banana', 'Apple', 'cherry', 'apple'], mixed: [3, 'b', null, 'A', 1],
    users: [
      { name: 'Ann', age: 30, role: 'admin', profile: { name: 'X' }, tags: ['a'] },
      { name: 'bob', age: 25, role: 'user', profile: { name: 'Y' }, tags: [] },
      { name: 'Cid', age: 35, role: 'admin', profile: { name: 'Z' } },
      { name: 'dee', age: null, role: 'user', profile: {} },
    ],
    events: [{ payload: { item: 'pen' } }, { payload: { item: 'ink' } }, { payload: { item: 'pad' } }, { payload: {} }],
    obj: { a: 1, b: 'two "q"' }, objq: { s: 'a\\b\nc\t"d"', n: [1, { k: null }] }, numkeys: { b: 1, 2: 'two', a: 3, 1: 'one' },
    sizeobj: { size: 9, length: 4, first: 'F' }, arraylike: { length: 2, 0: 'zero', 1: 'one' },
    nested: { x: { y: { z: 'deep' } } }, html: '<p class="c">Hi & <b>bye</b></p><script>x()</script>',
    unicode: 'héllo wörld 😀 ÉCOLE', quote: 'He said "hi"\nnext\\line\ttab', ctrl: 'a\bb\fc',
    date: '2024-03-07T10:30:00Z', date2: '2024-12-31T23:59:59.999Z', dateLocal: '2024-03-07 10:30', ts: 1709807400, tsStr: '1709807400',
    spaces: '  pad  me  ', csv: 'a,b,,c,,', empty: '', emptyArr: [], emptyObj: {}, 'custom-key': 'dash',
    idx: 1, three: '3', numstr: '2.5', neg_str: '-1', cjk: '你好 world こんにちは', multiline: 'l1\nl2\r\nl3',
    url: 'https://ex.com/a b?x=1&y=é#f', b64: 'aMOpbGxv', sentence: 'The quick  brown fox jumps over the lazy dog',
    bools: [true, false, true], deep: [[1, [2, 3]], [4]], dupes: [1, '1', 1, 'a', 'a', null, null],
  },
  subscriber: { subscriberId: 's1', firstName: 'Ann', lastName: "O'Neil", email: 'ann@example.com', data: { vip: true, n: 3 } },
  actor: { firstName: 'Act' },
  context: { tenant: { id: 't-1' } },
  state: [
    { stepId: 'custom-1', outputs: { n: 5, list: ['x', 'y'] }, state: { status: 'completed' } },
    { stepId: 'compute', outputs: { score: 12 }, state: { status: 'completed' } },
  ],
  env: { name: 'prod' },
};
