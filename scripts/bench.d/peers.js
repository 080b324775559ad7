// Runs one peer over the bench-peers input and prints one JSON line.
//   node peers.js MODE BUDGET_SECONDS LISTFILE
// MODE: recognizers-full  zh-cn number, percentage, currency, dimension, age
//                         and datetime models
//       recognizers-num   zh-cn number, ordinal and percentage models
//       jieba             @node-rs/jieba cut (default dictionary, HMM on)
//       chrono            chrono-node zh parse
// Models are built once, before the clock starts (init_s reports that time).
// Recognizers-Text gets each document line by line (paragraphs: the unit it
// is meant for, and faster for it than whole documents); jieba and chrono
// get whole documents (faster for them). The unit is printed as "unit". When BUDGET_SECONDS (> 0) has passed, the run
// stops after the current document and reports the part done (partial).
// Run with NODE_PATH pointing at the scratch folder's node_modules.
'use strict';
const fs = require('fs');

const [mode, budgetArg, listFile] = process.argv.slice(2);
const budget = Number(budgetArg) || 0;
const files = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const texts = files.map((f) => fs.readFileSync(f));     // bytes, read before timing

function now() { return Number(process.hrtime.bigint()) / 1e9; }

const t0 = now();
let parseLine;
if (mode === 'recognizers-full' || mode === 'recognizers-num') {
  const N = require('@microsoft/recognizers-text-number');
  const c = 'zh-cn';
  const nr = new N.NumberRecognizer(c);
  let models;
  if (mode === 'recognizers-num') {
    models = [nr.getNumberModel(), nr.getOrdinalModel(), nr.getPercentageModel()];
  } else {
    const U = require('@microsoft/recognizers-text-number-with-unit');
    const D = require('@microsoft/recognizers-text-date-time');
    const ur = new U.NumberWithUnitRecognizer(c);
    const dr = new D.DateTimeRecognizer(c);
    models = [nr.getNumberModel(), nr.getPercentageModel(), ur.getCurrencyModel(),
      ur.getDimensionModel(), ur.getAgeModel(), dr.getDateTimeModel()];
  }
  parseLine = (line) => { let n = 0; for (const m of models) n += m.parse(line).length; return n; };
} else if (mode === 'jieba') {
  const J = require('@node-rs/jieba');
  let jieba;
  if (J.Jieba) {                                   // 2.x
    const { dict } = require('@node-rs/jieba/dict');
    jieba = J.Jieba.withDict(dict);
  } else {                                         // 1.x
    J.load();
    jieba = J;
  }
  parseLine = (line) => jieba.cut(line, true).length;
} else if (mode === 'chrono') {
  const chrono = require('chrono-node');
  const zh = chrono.zh;
  const ref = new Date(2020, 0, 1);
  parseLine = (line) => zh.parse(line, ref).length;
} else {
  console.error('peers.js: unknown mode ' + mode);
  process.exit(2);
}
const t1 = now();

const unit = mode.startsWith('recognizers') ? 'line' : 'document';
let bytes = 0, entities = 0, docs = 0, partial = false;
for (const buf of texts) {
  const text = buf.toString('utf8');
  if (unit === 'document') {
    entities += parseLine(text);
  } else {
    for (const line of text.split('\n')) {
      if (line.trim()) entities += parseLine(line);
    }
  }
  bytes += buf.length;
  docs += 1;
  if (budget > 0 && now() - t1 > budget && docs < texts.length) { partial = true; break; }
}
const t2 = now();
const total = texts.reduce((s, b) => s + b.length, 0);
console.log(JSON.stringify({ mode, unit, init_s: t1 - t0, seconds: t2 - t1, bytes, total_bytes: total,
  docs, total_docs: texts.length, entities, partial }));
