#!/usr/bin/env node
// Regenerates tests/fixtures/regex.json: patterns (hand-picked and random token sequences) with whether
// V8 accepts them in Unicode mode (`new RegExp(p, "u")`, as ajv compiles `pattern`) and, when it does,
// which sample strings they match.
const fs = require('fs');
const path = require('path');

const hand = [
  '^(?!mailto:)(?:(https?):\\/\\/[^\\s/$.?#].[^\\s]*)|^(\\/[^\\s]*)$', '^[0-9]{5}$', '^\\+[1-9]\\d{1,14}$', '^AP[0-9a-fA-F]{32}$',
  '\\bfoo\\b', '\\Bo', '^\\w+$', '^\\W$', '^\\S+$', '^\\s$', '^.$', '^[^]$', '[]', '^[\\b]$', '^\\cJ$', '\\0', '^\\x41$', '^\\u0041$',
  '^\\u{1F600}$', '^\\uD83D\\uDE00$', '\\uD83D', '[\\uD800-\\uDFFF]', '^(a)\\1$', '^(?<n>a)\\k<n>$', '(?<=a)b', '(?<!a)b', 'a(?=b)', 'a(?!b)',
  '^\\p{Lu}+$', '^\\P{L}$', '\\p{Script=Greek}', '\\p{sc=Grek}', '\\p{General_Category=Letter}', '\\p{Letter}', '\\p{L', '\\p{Foo}', '\\p{lu}',
  '^[\\w-]+$', '[\\d-z]', '[a-\\d]', '[z-a]', '\\-', '[\\-]', 'a{', 'a{1', 'a{1,}', 'a{2,1}', '}', ']', '{', '(?i)a', '(?:a)', '(?', '(?<>a)',
  '(?<a>x)(?<a>y)', '\\k<x>', '(?<a>.)\\k<b>', '\\1', '(a)\\2', '\\c', '\\c1', '\\x4', '\\u004', '\\u{110000}', '\\/', '\\.', '\\a',
  '*', 'a**', 'a*?', 'a+?b', 'a??', '(?=a)*', '(?<=a)+', '^*', '$', 'a|', '|', '()', 'a{0}', '[^\\s\\S]', '[\\s\\S]', '\\$', '\\^',
  '^[a-z]+(?:-[a-z]+)*$', '^\\d{3}-\\d{4}$', '(\\w+)\\s\\1', '^(?:(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)$',
  '^[A-Za-z0-9+/]*={0,2}$', '\\u{61}+', '[😀-😂]', '^😀{2}$', '.', '^..$', 'é', '[é]', '\\d\\D', '[^a]', '[^\\d]', '^[\\S]$',
];
const samples = ['', 'a', 'b', 'ab', 'aab', 'aa', 'ba', 'A', 'AB', '1', '12345', '1234', 'a1', ' a', ' ', '\n', '\u2028', '\u00a0', '\ufeff', '\u0085',
  'é', 'É', 'α', '😀', '😀😀', '😁', '٣', 'a-b', 'foo', 'a foo.', 'éfoo', 'https://x.com', '/rel', 'mailto:a@b.c', '+12025550123', 'x', '\u0008', '\u0000',
  'AP0123456789abcdef0123456789ABCDEF', 'aa aa', '1.2.3.4', '256.1.1.1', 'YWJj', '$', '^', 'ab-cd', '-', '|', '}', '\\'];

let state = 987654321;
const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
const TOKENS = ['a', 'b', '.', '*', '+', '?', '|', '(', ')', '[', ']', '^', '$', '\\d', '\\w', '\\s', '\\b', '\\B', '{2}', '{1,2}', '(?:', '(?=', '(?!',
  '(?<=', '(?<!', '-', '\\', '\\u{61}', '\\x61', '\\1', 'é', '😀', ' ', '\\p{L}', '[^', '\\-', '{', '}', '\\D', '\\S', '\\W', 'A', '1', '(?<n>', '\\k<n>'];
const random = [];
for (let i = 0; i < 2500; i++) {
  const n = 1 + Math.floor(rand() * 7);
  let p = '';
  for (let j = 0; j < n; j++) p += TOKENS[Math.floor(rand() * TOKENS.length)];
  random.push(p);
}

// Well-formed pieces, so that most of these compile and the match results get compared.
const PIECES = ['a', 'b', '.', '\\d', '\\w', '\\s', '\\S', '\\b', '[ab]', '[^a]', '(a|b)', '(?:ab)*', 'a?', 'a+', 'b*?', '(?=a)', '(?!b)',
  '(?<=a)', '(?<!a)', '^', '$', 'é', '😀', '\\p{L}', '[\\d-]', '(a)\\1', 'a{2}', '[\\s\\S]', '\\W', '-', ' ', '[a-c]', '(?<n>b)\\k<n>', '\\u{1F600}', '\\.'];
for (let i = 0; i < 1500; i++) {
  const n = 1 + Math.floor(rand() * 5);
  let p = '';
  for (let j = 0; j < n; j++) p += PIECES[Math.floor(rand() * PIECES.length)];
  random.push(p);
}

const out = [];
const seen = new Set();
for (const p of [...hand, ...random]) {
  if (seen.has(p)) continue;
  seen.add(p);
  let re;
  try {
    re = new RegExp(p, 'u');
  } catch (e) {
    out.push([p, null]);
    continue;
  }
  out.push([p, samples.filter((s) => re.test(s))]);
}
const file = path.join(__dirname, '..', 'tests', 'fixtures', 'regex.json');
fs.writeFileSync(file, JSON.stringify({ samples, patterns: out }) + '\n');
console.log(`${out.length} patterns (${out.filter((x) => x[1] === null).length} refused) -> ${file}`);
