#!/usr/bin/env node
// Regenerates tests/fixtures/formats.json: for every ajv-formats 2.1.1 format, a long list of strings
// (hand-picked edge cases plus systematic one-character mutations of them) with ajv-formats' verdict.
const fs = require('fs');
const path = require('path');
const { NM } = require('./ajv.cjs');
const { fullFormats } = require(NM + 'ajv-formats/dist/formats');

const seeds = {
  date: ['2024-02-29', '2023-02-29', '2023-02-28', '2024-13-01', '2024-00-10', '2024-01-32', '2024-04-31', '1900-02-29', '2000-02-29', '0000-01-01', '2024-1-01', '2024-01-01T', ' 2024-01-01', '２０２４-01-01', '2024-01-01\n'],
  time: ['23:59:60', '23:59:59', '24:00:00', '12:60:00', '12:00:60', '12:00:00.5', '12:00:00.', '12:00:00z', '12:00:00Z', '12:00:00+01:00', '12:00:00+0100', '12:00:00+01', '12:00:00+1', '12:00:00-99:99', '12:00:00+01:0', '1:00:00', '12:00', '22:59:60', '12:00:00.123456789+05:30'],
  'date-time': ['1970-01-01T00:00:00.000Z', '2020-01-01T00:00:00', '2020-01-01t00:00:00z', '2020-01-01 00:00:00+01', '2020-01-01T24:00:00Z', '2020-02-30T00:00:00Z', '2020-01-01TT00:00:00Z', '2020-01-01', 'T00:00:00Z', '2020-01-01\t00:00:00Z', '2020-01-01\u00a000:00:00Z', '2020-01-01\u200b00:00:00Z', '2020-01-01T23:59:60Z'],
  duration: ['P1Y2M3DT4H5M6S', 'P2W', 'P', 'PT', 'P1D2Y', 'PT1H', 'P1M', 'PT1M', 'P1Y1W', 'P1DT', 'PT1.5S', 'P0D', 'p1d', 'P1H', 'PT1D', 'P12345678901234567890Y'],
  uri: ['https://example.com/a?b#c', 'urn:isbn:0451450523', 'http://[::1]:80/', '/relative', 'not a uri', 'http://exa mple.com', 'a:', 'a:b', 'a://', 'a:/', 'a:?x', 'a:#x', 'http://user:pw@host:123/p?q=1#f', 'http://[v1.x]/', 'http://[1.2.3.4]/', 'http://host:port/', 'http://%41/', 'http://%4/', 'h:%zz', 'mailto:a@b.c', 'HTTP://EXAMPLE.COM', 'http://é.com', 'http://a"b', 'http://a/b c', 'ftp://ftp.is.co.za/rfc/rfc1808.txt', 'tel:+1-816-555-1212', 'file:///etc/passwd', 'http://a@b@c', 'http://[::1', 'http://[::g]/', 'a+b-c.d:x', '1a:b', 'http:', 'http:/', 'http:///', 'http:////x', 'x://[::1]x'],
  'uri-reference': ['', '/relative?x', 'a"b', '\\', 'https://example.com', '#frag', '?q', '//host/p', 'a b', 'a:b', '%zz', '%41', '../x', './y', 'http://[::1]', '//[::1', 'x#y#z', 'x?y?z', 'é', 'a"@b', '//a"@b/', '//a@b"/'],
  'uri-template': ['http://example.com/{user}/{+path*}{?q,lang:2}', '{}', 'a b', '{a', 'a}', '{a:0}', '{a:10000}', '{a:9999}', '{a*}', '{a,b*,c:3}', '{%41}', '%4', '{+}', '{?a', 'é{x}', '{a.b}', '{,a}', '{|a}', '"', '<', '^', '`'],
  url: ['https://example.com', 'http://user:pass@example.com:8080/path', 'http://8.8.8.8', 'http://10.0.0.1', 'http://localhost', 'mailto:a@b.c', 'http://127.0.0.1', 'http://172.16.0.1', 'http://172.32.0.1', 'http://192.168.1.1', 'http://169.254.1.1', 'http://1.1.1.255', 'http://1.1.1.254', 'http://224.1.1.1', 'http://223.1.1.1', 'http://0.1.1.1', 'http://1.01.1.1', 'http://1.001.1.1', 'http://a.b', 'http://a.bc', 'http://a-b.cc', 'http://a--b.cc', 'http://-a.cc', 'http://a.c1', 'http://ex.com:1', 'http://ex.com:12', 'http://ex.com:123456', 'http://ex.com/ a', 'http://ex.com/a', 'HTTPS://EX.COM', 'httpſ://ex.com', 'ftp://ex.com', 'ftps://ex.com', 'http://ümlaut.de', 'http://ex.ümlaut', 'http://a@b@ex.com', 'http://a b@ex.com', 'http://@ex.com', 'http://ex.com?x', 'http://ex.com#x', 'http://ex.😀', 'http://1.2.3.4.5', 'http://172.160.0.1'],
  email: ['user@example.com', 'user@localhost', 'a..b@example.com', '.a@example.com', 'a.@example.com', 'a@b.c', 'a@-b.com', 'a@b-.com', 'a@b..com', 'a@b.com.', "a!#$%&'*+/=?^_`{|}~-@x.io", 'a b@x.io', 'a@b@c.io', '@x.io', 'a@', 'A@B.IO', 'é@x.io', 'a@é.io', 'a@1.2', 'a"b@x.io'],
  hostname: ['example.com', 'example.com.', '-a.com', 'a-.com', 'a', 'a.b', '.', '', 'a..b', 'a_b.com', 'é.com', 'a'.repeat(63) + '.com', 'a'.repeat(64) + '.com', ('a'.repeat(63) + '.').repeat(3) + 'a'.repeat(61), ('a'.repeat(63) + '.').repeat(3) + 'a'.repeat(62), ('a'.repeat(63) + '.').repeat(3) + 'a'.repeat(61) + '.', '1.2.3.4', 'xn--bcher-kva.example'],
  ipv4: ['1.2.3.4', '01.002.3.4', '256.1.1.1', '255.255.255.255', '1.2.3', '1.2.3.4.5', '1.2.3.', '.1.2.3', '1.2.3.04', '1.2.3.004', '1.2.3.0004', '1..3.4', 'a.b.c.d', '1.2.3.4\n', '300.1.1.1'],
  ipv6: ['::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::ffff:1.2.3.4', '1:2:3:4:5:6:7::', ':::', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6::1.2.3.4', '::01.2.3.4', '12345::', 'fe80::1%eth0', 'FE80::1', '1:2:3:4:5::1.2.3.4', '1:2:3:4::5:1.2.3.4', '::1.2.3.4', '1::1.2.3.4', '1:2:3:4:5:6:7', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', 'g::', '::256.1.1.1', '1:2:3:4:5:6:7:8::'],
  regex: ['a{', 'a\\Z', '\\\\Z', '(', ')', '[', '[]', '[^]', 'a**', '(?<a>x)(?<a>y)', '(?<a>x)\\k<b>', '\\k', '\\p{L}', '(?=a)*', '(?<=a)*', 'a{2,1}', '\\c', '\\1(a)', '[z-a]', '[\\d-z]', '\\', '(?i)a', '\\u{1F600}', 'x\\Z', '\\Zx', '{1}', 'a{1}{2}', 'a|*', '^*', '$+', '\\b+', '(?:)', '(?', '(?x)', '\\8', '[\\b]'],
  uuid: ['123e4567-e89b-12d3-a456-426614174000', 'URN:UUID:123e4567-e89b-12d3-a456-426614174000', 'urn:uuid:123E4567-E89B-12D3-A456-426614174000', '123e4567e89b12d3a456426614174000', '123e4567-e89b-12d3-a456-42661417400', 'g23e4567-e89b-12d3-a456-426614174000', '{123e4567-e89b-12d3-a456-426614174000}'],
  'json-pointer': ['', '/', '/a~1b/~0', '/a~2', 'a', '/~', '//', '/a/b c', '/é'],
  'json-pointer-uri-fragment': ['#', '#/', '#/a~1b', '#/a%20b', '#/a b', '#/a%2', 'a', '#a', '#/é', '#/a~2', '#/!$&\'()*+,;:=@'],
  'relative-json-pointer': ['0#', '0', '1/a', '01/a', '0/a~1', 'a', '#', '10#', '0##', '-1'],
  byte: ['aGVsbG8=', 'aGVsbA==', 'aGVsbG8', '', '!!\n', '!!\r\n', 'abc', 'ab==\nxx', 'a===', '====', 'ab=c', 'abcd\u2028!!', 'YQ', 'YQ==YQ=='],
  password: ['', 'anything'],
  binary: ['', 'anything'],
  'iso-time': ['nope'],
  'iso-date-time': ['nope'],
};

// One-character mutations (delete, duplicate, replace with a few interesting characters) of each seed.
const ALPHABET = ['a', 'Z', '0', '9', ':', '/', '.', '-', '@', '%', ' ', '#', '?', '[', ']', '~', '"', 'é', '_', '+', 'T'];
function mutations(s) {
  const out = new Set();
  const cps = Array.from(s);
  for (let i = 0; i < cps.length; i++) {
    out.add(cps.slice(0, i).concat(cps.slice(i + 1)).join(''));
    out.add(cps.slice(0, i + 1).concat(cps.slice(i)).join(''));
    for (const c of ALPHABET.slice((i * 7) % ALPHABET.length).concat(ALPHABET).slice(0, 4)) {
      out.add(cps.slice(0, i).concat([c], cps.slice(i + 1)).join(''));
    }
  }
  return out;
}

function verdict(def, s) {
  if (def === true) return true;
  if (def instanceof RegExp) return def.test(s);
  if (typeof def === 'function') return def(s);
  const v = def.validate;
  if ((def.type || 'string') !== 'string') return true;
  return v instanceof RegExp ? v.test(s) : v(s);
}

// Random strings over an alphabet that reaches the interesting parts of each grammar (seeded).
let state = 12345;
const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
const ALPHABETS = {
  date: '0123-9 T', time: '0129:5.+-zZ6', 'date-time': '0129:-T t.Z+ ', duration: 'P1TYMDHSW2',
  uri: 'ab:/?#[]@%1f.v"-', 'uri-reference': 'ab:/?#[]@%1f.v"\\ ', 'uri-template': 'a{}+,:*1%f"<', url: 'hp:/tfs.a1@-9 ',
  email: 'a.@-b1_ ', hostname: 'a.-1_', ipv4: '0125.', ipv6: '0f:.1', regex: 'a(){}[]\\*?+|^$-dk<>=!', uuid: '0af-:nru',
  'json-pointer': '/~01a', 'json-pointer-uri-fragment': '#/~01a%f ', 'relative-json-pointer': '01#/~a', byte: 'aZ0+/=\n!',
};
function randomStrings(alphabet, n) {
  const chars = Array.from(alphabet);
  const out = [];
  for (let i = 0; i < n; i++) {
    const len = Math.floor(rand() * 14);
    let s = '';
    for (let j = 0; j < len; j++) s += chars[Math.floor(rand() * chars.length)];
    out.push(s);
  }
  return out;
}

const out = {};
for (const [name, list] of Object.entries(seeds)) {
  const def = fullFormats[name];
  const strings = new Set(list);
  for (const s of list) if (s.length <= 80) for (const m of mutations(s)) strings.add(m);
  if (ALPHABETS[name]) for (const s of randomStrings(ALPHABETS[name], 3000)) strings.add(s);
  out[name] = [...strings].map((s) => [s, def === undefined ? true : verdict(def, s)]);
}
const numbers = [0, 1, -1, 1.5, 2147483647, 2147483648, -2147483648, -2147483649, 9007199254740993, 1e300, -0.5];
out.__numbers = ['int32', 'int64', 'float', 'double'].map((name) => [name, numbers.map((n) => [n, fullFormats[name].validate(n)])]);
const file = path.join(__dirname, '..', 'tests', 'fixtures', 'formats.json');
fs.writeFileSync(file, JSON.stringify(out) + '\n');
const total = Object.values(out).reduce((n, l) => n + l.length, 0);
console.log(`${total} format vectors -> ${file}`);
