// Records npm pluralize 8, jsonrepair 3.15.0 and V8's Date.parse on word/text lists, for the Rust tests.
// Usage: TZ=UTC node crates/liquid/tools/gen_lib_vectors.cjs [node_modules dir]
const path = require('path');
const fs = require('fs');
const NM = process.argv[2] || '/work/ref/reference/ts-bridge/node_modules';
const pluralize = require(path.join(NM, 'pluralize'));
const { jsonrepair } = require(path.join(NM, 'jsonrepair'));
// Fixtures land in the crate that replays them: jsonrepair's in crates/json, the others here.
const out = (name, data, crate = 'liquid') => {
  const file = path.join(__dirname, '..', '..', crate, 'tests', 'fixtures', name);
  fs.writeFileSync(file, JSON.stringify(data, null, 0).replace(/\],\[/g, '],\n[') + '\n');
  console.log(`wrote ${data.length} vectors to ${file}`);
};

// Words: common nouns, every irregular/uncountable form, words hitting each suffix rule, case variants.
const base = `apple box person mouse child sheep information city knife wife life leaf wolf calf half loaf shelf elf thief roof
chief chef belief proof hoof dwarf scarf wharf cliff staff puppy day boy key toy monkey money valley journey baby lady party story
fly spy guy buy quay soliloquy potato tomato hero echo piano photo radio zoo kangaroo video studio logo memo avocado volcano
tornado torpedo domino cargo bus gas plus campus virus octopus cactus fungus nucleus radius stimulus alumnus syllabus focus
genus viscus status census bonus chorus corpus opus analysis basis crisis diagnosis thesis hypothesis oasis parenthesis synopsis
axis testis datum medium bacterium curriculum memorandum millennium stadium aquarium criterion phenomenon automaton organon
matrix index vertex appendix codex apex simplex matrices indices vertices appendices alga vertebra alumna formula antenna
schema stigma dogma lemma anathema stoma seraph cherub man woman human german roman fireman walrus ox axe die yes foot tooth
goose eave quiz carve valve looey groove pickaxe passerby we us they them myself yourself itself herself himself themself is
was has this that I me he she it you thou church match watch bench brush dish wish fox tax buzz waltz glass class kiss boss
process address business bass grass iris chassis series species news mathematics physics economics politics athletics
analytics deer fish salmon trout moose bison buffalo pokemon pokémon chinese japanese portuguese measles mumps smallpox
chickenpox carnivorous nervous precious equipment rice police music advice furniture luggage homework software hardware
firmware data agenda bacteria criteria phenomena media stadia memoranda millennia person people children mice geese feet
teeth oxen dice lice louse titmouse titmice movie movies twelve abuse emu emus menu menus tree trees cat cats dog dogs event
events item items user users message messages notification notifications comment comments reply replies day days week weeks
month months year years hour hours minute minutes second seconds invoice invoices order orders other others new\u0020event
zombie zombies cookie cookies pie pies tie ties collie goalie hippie talkie cutie neckties crossties monies smilies fairy
faeries foodie genie goonie groupie lassie prairie calorie rookie sortie aerie tie-in mother-in-law passer-by merry-go-round
bureau plateau chateau beau tableau gateau adieu milieu eye bye dye lye rye sky ski taxi alibi kiwi safari sushi tsunami
café naïve résumé über straße ÉCOLE niño año 你好 😀 Übung x a z ss s is as us s's`.split(/\s+/).filter(Boolean);
const words = [];
for (const w of base) {
  for (const v of [w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1), w.replace(/./g, (ch, i) => (i % 2 ? ch.toUpperCase() : ch))]) {
    if (!words.includes(v)) words.push(v);
  }
}
out('pluralize_vectors.json', words.map((w) => [w, pluralize(w, 2), pluralize(w, 1)]));

const repairs = [
  '{a: 1}', "{'a': 'b'}", '[1, 2, ]', '{"a": 1', '{"a": True, "b": None, "c": False}', '/* c */ {"a": 1} // x', '[1 2]',
  '{"a": 1,}', '{,"a": 1}', '[,1]', '{"a" 1}', '{"a": }', '{"a"}', '{a}', '{"a": [1, 2}', '[{"a": 1]', '{"a": "b}', '{"a": "b', '"abc',
  '[1, 2, 3', '{"a": {"b": [1, 2', 'abc', 'undefined', '{"a": undefined}', 'NaN', '{"a": NaN}', '{"a": -}', '{"a": .5}', '{"a": 2.}',
  '{"a": 2e}', '{"a": 2e+}', '{"a": 00123}', '{"a": -012}', '{"a": 0.0}', '{"a": 1.5e3}', '[-]', '[-.5]', '{"a": "x" + "y"}',
  '{"a": "x" + }', '"a" + "b" + "c"', '{“a”: “b”}', "{‘a’: ‘b’}", '{`a`: `b`}', '{"a": "it\'s"}', "{'a': 'it\"s'}", '{"a": "line\nbreak"}',
  '{"a": "tab\there"}', '{"a": "\\x"}', '{"a": "\\u00e9"}', '{"a": "\\u00"}', '{"a": "\\u12', '{"a": "\\uZZZZ"}', '{"a": "\\\'"}',
  '{"a": "b" "c": "d"}', '{"a": "b"\n"c": "d"}', '{"a": 1}\n{"b": 2}', '{"a": 1},\n{"b": 2}', '[1]\n[2]', '```json\n{"a": 1}\n```',
  '```\n[1,2]\n```', 'callback({"a": 1});', 'NumberLong("2")', '{"a": ISODate("2020-01-01")}', '{"a": /ab+c/}', '{"a": /a\\/b/}',
  '{"url": https://example.com/a?b=1}', '{"u": "https://x.com}', '[https://a.com, b]', '{"a": [1, 2, ...]}', '[..., 1]', '{"a": 1, ...}',
  '{"a":\u00a01}', '{\u2002"a": 1}', '{"a": "b"}}', '{"a": "b"}]', '[1]]]', '{"a": "b"} extra', '{"a": "&quot;x&quot;"}', '&quot;abc&quot;',
  '{&quot;a&quot;: &quot;b&quot;}', '{"a": "b\\"c"}', '{"a": "b"c"}', '{"a": "The TV is 72""}', '{"a": "x", "b": "y,"c": "z"}',
  '{"a": "x, "b": "y"}', '{"a": (1)}', '{"a": "(b" )}', '["a" "b"]', '{"a" : [ "x" , ]}', '{ }', '[ ]', '{}', '[]', '""', '"\\u00e9"',
  '123', '-1', '1.5', 'true', 'null', 'None', ' ', '', '{', '[', '}', ']', ',', ':', '{"a":1}//comment', '{"a":1/*x', '{"a"://x\n1}',
  '{"a": "b",\n}', '[1,\n2,\n]', '{\n  a: 1,\n  b: "x",\n}', "{'a': 1, 'b': [True, False, None], 'c': {'d': 'e'}}", '{"a": "\\\n"}',
  '{"a": 1 "b": 2}', '{"a": 1\n"b": 2}', '[1 "a" true null]', '{"a": [1 2 3]}', '{key with spaces: 1}', '{"a": value with spaces}',
  '{"a": 1, "b": 2, "c"}', '{"a": \'b\', "c": \'d\'}', '{a: {b: {c: 1}}}', '{"a": "\u0001"}', '{"a": "\u2028"}', '{"a": 1e400}',
  '{"a": "😀", "b": 😀}', '{"emoji": "\ud83d\ude00"}', '{$ref: 1}', '{_x: 1}', '{"a": -Infinity}', '{"a": Infinity}', '{"a":1}\n,',
  '[1,2,3]\n', '  {"a": 1}  ', '\n\n[1]', '{"a": "b"}\n```', '{"a": "c\\', '["a\\"]', '{"\\"a": 1}', "'abc'", '“abc”', '{"a": [}', '{"a": {]}',
  '{"a": 1, "a": 2}', '{"a": "b" + 1}', '{"a": tru}', '{"a": nul}', '{"a": falsey}', '{"a": TRUE}', '[True, False]', '{"a": 0x1F}', '[.]',
  '{"a": "x"  ,  "b"  :  "y"  }', '{\t"a"\t:\t1\t}', '{"a":"b"', '{"a":"b",', '{"a":"b","', '{"a":"b","c', '{"a":"b","c":', '{"a":"b","c":"',
];
out('jsonrepair_vectors.json', repairs.map((s) => { try { return [s, jsonrepair(s)]; } catch (e) { return [s, null]; } }), 'json');

const dates = [
  '2024-03-07', '2024-03-07T10:30:00Z', '2024-03-07T10:30:00.5+02:00', '2024-03-07T10:30', '2024-03-07 10:30', 'March 7, 2024',
  'Thu, 07 Mar 2024 10:30:00 GMT', '3/7/2024 10:30 PM', '2024/03/07', 'Thu Mar 07 2024 12:30:00 GMT+0200 (Eastern European Standard Time)',
  '', 'abc', '2024-13-01', '2024-03-07T25:00', 'hello 2024', 'hello2024', '7.3.2024', 'Mar 7', '3/7', '2024', '12', 'Mar 2024',
  '2024-03-07T10:30:00 Z', '24:00', '2024-03-07T24:00', '1/2/3 4:5:6 pm', '2024-03-07T10:30:00.123456789Z', 'Jan 1 2000 13:00 PM',
  'tomorrow', 'Sat Dec 31 1999 23:59:59 GMT-0500 (EST)', '2024-03-07 10:30:00 +05:30', '2024-03-07T10:30:00+0530', '-271821-04-20',
  '+275760-09-13T00:00:00Z', '+275760-09-13T00:00:00.001Z', '2024-3-7', '2024-03', '2024-03-07T10', '2024-03-07T10:30:00+05', '07 March 2024',
  '7 Mar 2024 10:30', 'March 7 2024 10:30:45.123', 'Mar-07-2024', '07-Mar-2024', '2024-Mar-07', 'Wednesday, March 7, 2024 10:30 AM',
  '12:00 AM March 7 2024', 'March 7 2024 12:00 AM', 'March 7 2024 12:00 PM', 'March 7 2024 0:00 PM', '2024-03-07T10:30:00z',
  '2024-03-07t10:30:00Z', '2024-03-07T10:30:00.Z', '2024-03-07T10:30:60Z', '2024-02-30', '2023-02-29', '2024-02-29', 'Feb 30 2024',
  '99', '49', '50', '1/1/49', '1/1/50', '1/1/100', '0', '000000', '+002024-03-07', '-002024-03-07', '-000000-01-01', '10:30 2024-03-07',
  '2024-03-07 10:30 GMT', '2024-03-07 10:30 UTC+2', '2024-03-07 10:30 EST', '2024-03-07 10:30 PDT', 'Mar 7 2024 10:30 GMT+05:30',
  'Mar 7 2024 10:30 GMT-8', 'Mar 7 2024 10:30 GMT+123', 'Mar 7 2024 10:30 +0100 (CET)', 'Mar 7 2024 (note) 10:30', 'Mar 7 2024)',
  '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2024-03-07T10:30:00.1234Z', '2024-03-07T10:30:00,5Z', 'Thu Mar 7 2024',
  'Thursday 7 March 2024', '7/3', '31/12/2024', '12/31/2024', '2024.03.07', '20240307', '2024-03-07T10:30:00+24:00', 'Z 2024',
];
out('date_vectors.json', dates.map((s) => { const v = Date.parse(s); return [s, Number.isNaN(v) ? null : v]; }));
