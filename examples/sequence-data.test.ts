import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelled, passages, readBrown, splitTexts, untag } from './brown-data.js';
import { FEATURES, featureScaling, makeWindows, readSeattle } from './seattle-data.js';

test('Brown corpus: tags stripped, passages of whole words, texts split by genre with no text in two parts', () => {
  assert.deepEqual(untag('\n\tThe/at jury/nn said/vbd ,/, Atlanta\'s/np$ 1/2/cd ./.\n'), ['The', 'jury', 'said', ',', "Atlanta's", '1/2', '.']);
  assert.deepEqual(passages(['a', 'b', 'c', 'd', 'e'], 2), ['a b', 'c d']);
  const texts = readBrown();
  assert.equal(texts.length, 500);
  const genres = [...new Set(texts.map((t) => t.genre))].sort();
  assert.equal(genres.length, 15);
  assert.deepEqual(texts[0]!.words.slice(0, 4), ['The', 'Fulton', 'County', 'Grand']);
  const split = splitTexts(texts, 0.2, 0.15, 1);
  const ids = [split.train, split.val, split.test].map((p) => new Set(p.map((t) => t.id)));
  assert.equal(ids[0]!.size + ids[1]!.size + ids[2]!.size, 500);
  for (const id of ids[2]!) assert.ok(!ids[0]!.has(id) && !ids[1]!.has(id), `${id} is in the test part and another`);
  // Every genre is in every part; the 6 science-fiction texts give 1 to the test part, 1 to validation.
  for (const part of [split.train, split.val, split.test]) assert.equal(new Set(part.map((t) => t.genre)).size, 15);
  assert.equal(split.test.filter((t) => t.genre === 'science_fiction').length, 1);
  assert.deepEqual(splitTexts(texts, 0.2, 0.15, 1).test.map((t) => t.id), split.test.map((t) => t.id));
  const data = labelled(split.test.slice(0, 2), genres, 100);
  assert.equal(data.texts.length, data.labels.length);
  assert.ok(data.texts.every((p) => p.split(' ').length === 100));
  assert.equal(data.labels[0], genres.indexOf(split.test[0]!.genre));
});

test('Seattle weather: every day read, windows of the days before with the next day as target, scaled by the training days', () => {
  const days = readSeattle();
  assert.equal(days.length, 1461);
  assert.deepEqual(days[1], { date: '2012-01-02', precipitation: 10.9, tempMax: 10.6, tempMin: 2.8, wind: 4.5 });
  const csv = 'date,precipitation,temp_max,temp_min,wind,weather\n2020-01-01,0,10,2,1,sun\n2020-01-02,2,12,4,3,rain\n2020-01-03,4,11,3,5,rain\n2020-01-04,0,9,1,1,sun\n';
  const small = readSeattle(csv);
  const scaling = featureScaling(small.slice(0, 2));
  // By hand: tempMax over the first two days has mean 11 and (population) deviation 1.
  assert.equal(scaling.mean[FEATURES.indexOf('tempMax')], 11);
  assert.equal(scaling.std[FEATURES.indexOf('tempMax')], 1);
  const w = makeWindows(small, 2, 0, 4, scaling);
  assert.deepEqual(w.dates, ['2020-01-03', '2020-01-04']);
  assert.deepEqual(w.target, [11, 9]);
  assert.deepEqual(w.yesterday, [12, 11]);
  // Sample 1 reads days 2 and 3: tempMax (12 - 11) / 1 then (11 - 11) / 1; precipitation (2 - 1) / 1, (4 - 1) / 1.
  const at = (s: number, t: number, f: (typeof FEATURES)[number]) => w.x[(s * 2 + t) * FEATURES.length + FEATURES.indexOf(f)];
  assert.deepEqual([at(1, 0, 'tempMax'), at(1, 1, 'tempMax'), at(1, 0, 'precipitation'), at(1, 1, 'precipitation')], [1, 0, 1, 3]);
  assert.throws(() => readSeattle('date,precipitation,temp_max,temp_min,wind,weather\n2020-01-01,x,10,2,1,sun\n'), /row 2 \(2020-01-01\) has a value that is not a number/);
});
