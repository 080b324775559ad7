/* zhmetrics review page: builds the page from index.js and the chunk files
 * beside it (written by src/cli/emit_html.c; docs/integration.md, "Review page").
 *
 * Every data file is a script calling zmLoad(kind, n, data), so the page
 * works from file:// with no server and no fetch. index.js is loaded by the
 * page; the kinds it lists as eager (rows, track) are loaded one chunk
 * after another once the first screen is drawn; a document's chunk
 * (docs-NNNN.js) only when the document is opened. A new tab needs one
 * more chunk kind: defineKind(name, {eager, onChunk, onDone}) and a pane.
 *
 * Text from the data is only ever put into the DOM as text (textContent,
 * createTextNode), never as markup; the page's policy forbids inline
 * scripts and handlers besides. Lists are virtualised: only the rows in
 * view exist in the DOM. In memory, metric columns are typed arrays or
 * plain arrays of strings (no object per metric).
 */
(function () {
  'use strict';
  var errors = window.__zmErrors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message || e)); });
  window.addEventListener('unhandledrejection', function (e) { errors.push(String(e.reason)); });

  var root = document.documentElement;
  var BASE = root.getAttribute('data-zm-data') || '';
  var ROWH = 22;
  /* columns of a rows chunk (src/cli/emit_html.c: C_DOC ...): numbers and
   * string codes, strings, indexes into the pool of strings (rows.pool),
   * numbers */
  var COLS = ['doc', 'ord', 'kind', 'status', 'qual', 'unit', 'unit_text', 'change', 'indicator',
    'text', 'value', 'value_max', 'subject', 'explain',
    'time', 'from', 'to', 'section', 'sent',
    'span0', 'span1', 'line'];
  var IS_STR = function (c) { return c >= 9 && c <= 13; };
  var IS_POOL = function (c) { return c >= 14 && c <= 18; };
  /* a document's row in index.js */
  var DOC = {name: 0, title: 1, region: 2, n: 3, first: 4, chunk: 5, bytes: 6, inferred: 7, err: 8,
    date: 9, org: 10, docno: 11, genre: 12, encoding: 13, period: 14};

  var IDX = null, S = null, docs = null;
  var rows = {n: 0, total: 0, loaded: false, col: {}, pool: []};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function pad4(n) { return ('000' + n).slice(-4); }

  /* ---- loader ---------------------------------------------------------- */
  var kinds = {}, waiting = {};
  window.zmLoad = function (kind, n, data) {
    var k = kinds[kind];
    if (!k) { errors.push('unknown chunk kind: ' + kind); return; }
    k.onChunk(n, data);
    var w = waiting[kind + ':' + n];
    if (w) { delete waiting[kind + ':' + n]; w(); }
  };
  function defineKind(name, spec) { kinds[name] = spec; }
  function loadChunk(kind, n) {
    return new Promise(function (resolve, reject) {
      var key = kind + ':' + n, s = document.createElement('script');
      waiting[key] = resolve;
      s.src = BASE + kind + '-' + pad4(n) + '.js';
      s.addEventListener('load', function () {
        s.remove();
        if (waiting[key]) { delete waiting[key]; reject(new Error(s.src + ': no zmLoad call')); }
      });
      s.addEventListener('error', function () {
        s.remove(); delete waiting[key]; reject(new Error('cannot load ' + s.src));
      });
      document.head.appendChild(s);
    });
  }
  /* eager kinds: every chunk, one after another (one parse at a time
   * keeps the page responsive and the peak memory low) */
  function loadEager() {
    var names = Object.keys(kinds).filter(function (k) { return kinds[k].eager && IDX.chunks[k] !== undefined; });
    var p = Promise.resolve();
    names.forEach(function (k) {
      for (var i = 1; i <= IDX.chunks[k]; i++) (function (i) {
        p = p.then(function () { return loadChunk(k, i); }).then(function () {
          if (kinds[k].onProgress) kinds[k].onProgress(i, IDX.chunks[k]);
        });
      })(i);
      p = p.then(function () { if (kinds[k].onDone) kinds[k].onDone(); });
    });
    return p.then(function () {
      root.setAttribute('data-zm-state', 'ready');
      root.setAttribute('data-zm-ready-ms', String(Math.round(performance.now())));
    }, function (e) { errors.push(String(e)); status(String(e)); });
  }

  /* ---- virtual list: only the rows in view are in the DOM -------------- */
  function VList(box, ncells, draw) {
    var self = this;
    this.box = box; this.count = 0; this.draw = draw; this.pool = []; this.ncells = ncells;
    this.space = el('div', 'vspace');
    box.appendChild(this.space);
    box.addEventListener('scroll', function () { self.paint(); });
    window.addEventListener('resize', function () { self.paint(); });
  }
  VList.prototype.setCount = function (n) {
    this.count = n;
    this.space.style.height = (n * ROWH) + 'px';
    this.paint();
  };
  VList.prototype.paint = function () {
    var top = this.box.scrollTop, h = this.box.clientHeight || 600;
    var first = Math.max(0, Math.floor(top / ROWH) - 4);
    var last = Math.min(this.count, Math.ceil((top + h) / ROWH) + 4);
    var need = Math.max(0, last - first);
    while (this.pool.length < need) {
      var r = el('div', 'vrow');
      for (var c = 0; c < this.ncells; c++) r.appendChild(el('span'));
      this.box.appendChild(r);
      this.pool.push(r);
    }
    for (var i = 0; i < this.pool.length; i++) {
      var row = this.pool[i];
      if (i < need) {
        row.hidden = false;
        row.style.top = ((first + i) * ROWH) + 'px';
        this.draw(row, first + i);
      } else {
        row.hidden = true;
      }
    }
  };
  VList.prototype.scrollTo = function (i) {
    var top = i * ROWH, h = this.box.clientHeight || 600;
    if (top < this.box.scrollTop || top + ROWH > this.box.scrollTop + h) this.box.scrollTop = Math.max(0, top - h / 2);
    this.paint();
  };
  function setCells(row, values, classes) {
    for (var c = 0; c < values.length; c++) {
      var cell = row.children[c], v = values[c] === null || values[c] === undefined ? '' : String(values[c]);
      if (cell.textContent !== v) cell.textContent = v;
      if (classes && cell.className !== classes[c]) cell.className = classes[c];
    }
  }
  function head(box, cols, onClick) {
    cols.forEach(function (c, i) {
      var h = el('span', c.w + (c.num ? ' num' : ''), c.label);
      h.setAttribute('data-col', c.key);
      if (onClick) h.addEventListener('click', function () { onClick(i, h); });
      box.appendChild(h);
    });
  }

  /* ---- strings --------------------------------------------------------- */
  function str(code) { return S[code] || ''; }
  function docName(d) { return docs[d][DOC.name]; }
  function valueText(r) {
    var c = rows.col, v = c.value[r], m = c.value_max[r];
    return m ? v + '\u2013' + m : v;
  }
  function timeText(r) {
    var c = rows.col, p = rows.pool, t = p[c.time[r]];
    return c.from[r] ? t + ' (' + p[c.from[r]] + '\u2026' + p[c.to[r]] + ')' : t;
  }
  function rowFields(r) {
    var c = rows.col, d = c.doc[r];
    return [['id', docName(d) + '#' + c.ord[r]], ['doc', docName(d)], ['kind', str(c.kind[r])],
      ['status', str(c.status[r])], ['text', c.text[r]], ['value', c.value[r]], ['value_max', c.value_max[r]],
      ['unit', str(c.unit[r])], ['unit_text', str(c.unit_text[r])], ['qualifier', str(c.qual[r])],
      ['indicator', str(c.indicator[r])], ['subject', c.subject[r]], ['time', timeText(r)],
      ['change', str(c.change[r])], ['region', str(docs[d][DOC.region])], ['section', rows.pool[c.section[r]]],
      ['sentence', rows.pool[c.sent[r]]], ['span', '[' + c.span0[r] + ', ' + c.span1[r] + ')'],
      ['line', c.line[r]], ['explain', c.explain[r]]];
  }
  function fieldList(box, fields) {
    var dl = el('dl');
    fields.forEach(function (f) {
      if (f[1] === '' || f[1] === null || f[1] === undefined) return;
      dl.appendChild(el('dt', null, f[0]));
      dl.appendChild(el('dd', null, f[1]));
    });
    box.textContent = '';
    box.appendChild(dl);
  }

  /* ---- the page's frame -------------------------------------------------- */
  var panes = {}, tabs = {};
  function status(t) { $('loadstate').textContent = t; }
  function addTab(name, label, pane) {
    var b = el('button', null, label);
    b.type = 'button';
    b.setAttribute('data-tab', name);
    b.addEventListener('click', function () { showTab(name); });
    $('tabs').appendChild(b);
    pane.classList.add('pane');
    pane.id = name + '-pane';
    $('app').appendChild(pane);
    tabs[name] = b; panes[name] = pane;
  }
  function showTab(name) {
    Object.keys(panes).forEach(function (k) {
      panes[k].classList.toggle('on', k === name);
      tabs[k].setAttribute('aria-selected', k === name ? 'true' : 'false');
    });
    if (panes[name].onShow) panes[name].onShow();
  }
  function countLine(label, pairs, unit) {
    var g = el('span', 'group');
    g.appendChild(el('b', null, label + ':'));
    pairs.sort(function (a, b) { return b[1] - a[1]; });
    var shown = pairs.slice(0, 12).map(function (p) { return (p[0] ? str(p[0]) : '(none)') + ' ' + p[1] + (unit || ''); });
    if (pairs.length > 12) shown.push('\u2026 ' + (pairs.length - 12) + ' more');
    g.appendChild(document.createTextNode(shown.join(' \u00b7 ')));
    g.title = pairs.map(function (p) { return (p[0] ? str(p[0]) : '(none)') + ' ' + p[1]; }).join('\n');
    return g;
  }
  function pairsOf(flat) {
    var out = [];
    for (var i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
    return out;
  }
  function buildFrame() {
    var app = $('app');
    var hd = el('header');
    hd.appendChild(el('h1', null, 'zhmetrics review'));
    var sm = el('span');
    sm.id = 'summary';
    sm.textContent = IDX.documents + ' documents, ' + IDX.metrics + ' metrics, ' + IDX.errors +
      (IDX.errors === 1 ? ' error' : ' errors') + ' \u00b7 ';
    var ls = el('span');
    ls.id = 'loadstate';
    sm.appendChild(ls);
    hd.appendChild(sm);
    var counts = el('div');
    counts.id = 'counts';
    var C = IDX.counts;
    counts.appendChild(countLine('kind', pairsOf(C.kind)));
    counts.appendChild(countLine('status', pairsOf(C.status)));
    counts.appendChild(countLine('qualifier', pairsOf(C.qualifier)));
    var ind = pairsOf(C.indicator);
    if (ind.some(function (p) { return p[0] !== 0; })) counts.appendChild(countLine('indicator', ind));
    var rd = {};
    pairsOf(C.region_metrics).forEach(function (p) { rd[p[0]] = p[1]; });
    counts.appendChild(countLine('region (documents)', pairsOf(C.region_docs)));
    counts.appendChild(countLine('region (metrics)', pairsOf(C.region_metrics)));
    hd.appendChild(counts);
    app.appendChild(hd);
    var nav = el('nav', 'tabs');
    nav.id = 'tabs';
    app.appendChild(nav);
  }

  /* ---- documents: list, and one document's text with its figures -------- */
  var docList, docView = null, openDocId = -1, selMark = null, docCache = new Map();
  function buildDocs() {
    var pane = el('div');
    var left = el('div', 'col left'), right = el('div', 'col right');
    var bar = el('div', 'bar');
    var q = el('input');
    q.type = 'search'; q.placeholder = 'file name or title'; q.id = 'doc-q';
    var cnt = el('span');
    cnt.id = 'doc-count';
    bar.appendChild(q); bar.appendChild(cnt);
    left.appendChild(bar);
    var hb = el('div', 'vhead');
    var cols = [{label: 'file', w: 'w8'}, {label: 'title', w: 'w10'}, {label: 'region', w: 'w4'},
      {label: 'metrics', w: 'w3', num: 1}];
    head(hb, cols);
    left.appendChild(hb);
    var box = el('div', 'vlist');
    box.id = 'doc-list';
    left.appendChild(box);
    var cls = cols.map(function (c) { return c.w + (c.num ? ' num' : ''); });
    docList = new VList(box, cols.length, function (row, i) {
      var d = docView ? docView[i] : i, x = docs[d];
      row.setAttribute('data-doc', d);
      row.classList.toggle('sel', d === openDocId);
      var base = x[DOC.name].replace(/^.*\//, '') || x[DOC.name];
      setCells(row, [base, x[DOC.err] ? 'error: ' + x[DOC.err] : x[DOC.title], str(x[DOC.region]), x[DOC.n]], cls);
    });
    box.addEventListener('click', function (e) {
      var r = e.target.closest('.vrow');
      if (r) location.hash = 'doc=' + r.getAttribute('data-doc');
    });
    q.addEventListener('input', function () {
      var s = q.value.trim();
      if (!s) { docView = null; } else {
        docView = [];
        for (var d = 0; d < docs.length; d++)
          if (docs[d][DOC.name].indexOf(s) >= 0 || docs[d][DOC.title].indexOf(s) >= 0) docView.push(d);
      }
      cnt.textContent = (docView ? docView.length : docs.length) + ' documents';
      box.scrollTop = 0;
      docList.setCount(docView ? docView.length : docs.length);
    });
    cnt.textContent = docs.length + ' documents';
    var view = el('div');
    view.id = 'doc-view';
    view.appendChild(el('p', 'meta', 'Choose a document on the left: its text opens here with its figures highlighted (colour by kind, dashed outline for targets); click a figure to see its fields.'));
    right.appendChild(view);
    var det = el('div', 'details');
    det.id = 'doc-details';
    det.hidden = true;
    right.appendChild(det);
    pane.appendChild(left); pane.appendChild(right);
    addTab('docs', 'Documents', pane);
    pane.onShow = function () { docList.paint(); };
    view.addEventListener('click', function (e) {
      var m = e.target.closest('mark.zm');
      if (m) selectMark(m, false);
    });
    view.addEventListener('mouseover', function (e) {
      var m = e.target.closest('mark.zm');
      if (m && !m.title && rows.loaded) {
        var r = +m.getAttribute('data-row'), c = rows.col;
        m.title = str(c.kind[r]) + ' \u00b7 ' + str(c.status[r]) + '\nvalue: ' + valueText(r) + ' ' + str(c.unit[r]) +
          ' (' + str(c.qual[r]) + ')' + (c.subject[r] ? '\nsubject: ' + c.subject[r] : '') +
          (c.time[r] || c.from[r] ? '\ntime: ' + timeText(r) : '');
      }
    });
    docList.setCount(docs.length);
  }
  function selectMark(m, scroll) {
    if (selMark) selMark.classList.remove('sel');
    selMark = m;
    m.classList.add('sel');
    if (scroll) m.scrollIntoView({block: 'center'});
    var det = $('doc-details'), r = +m.getAttribute('data-row');
    det.hidden = false;
    if (rows.loaded) {
      fieldList(det, rowFields(r));
      var b = el('button', null, 'show in the metrics table');
      b.type = 'button';
      b.addEventListener('click', function () { showTab('metrics'); metricsTable.reveal(r); });
      det.appendChild(b);
    } else {
      fieldList(det, [['text', m.textContent], ['class', m.className], ['', 'all fields once the metrics have loaded']]);
    }
  }
  function docChunk(n) {
    if (docCache.has(n)) {
      var v = docCache.get(n);
      docCache.delete(n); docCache.set(n, v); /* most recent last */
      return Promise.resolve(v);
    }
    return loadChunk('docs', n).then(function () { return docCache.get(n); });
  }
  defineKind('docs', {eager: false, onChunk: function (n, list) {
    var m = new Map();
    list.forEach(function (e) { m.set(e[0], e); });
    docCache.set(n, m);
    while (docCache.size > 8) docCache.delete(docCache.keys().next().value); /* a few chunks kept */
  }});
  /* Opens document d (its chunk loaded if need be); selects metric row r
   * in it when given. Resolves when its text is in the page. */
  function openDoc(d, r) {
    var x = docs[d];
    if (!x) return Promise.resolve();
    openDocId = d;
    showTab('docs');
    docList.paint();
    var view = $('doc-view');
    view.textContent = '';
    view.appendChild(el('h2', null, x[DOC.name]));
    var meta = [x[DOC.title] + (x[DOC.inferred] ? ' (title inferred)' : ''), x[DOC.org], str(x[DOC.region]), x[DOC.docno],
      x[DOC.date], x[DOC.period] ? 'period ' + x[DOC.period] : '', x[DOC.genre], x[DOC.encoding],
      x[DOC.bytes] + ' bytes', x[DOC.n] + ' metrics'].filter(function (s) { return s; });
    view.appendChild(el('p', 'meta', meta.join(' \u00b7 ')));
    $('doc-details').hidden = true;
    selMark = null;
    if (x[DOC.err]) { view.appendChild(el('p', 'err', x[DOC.err])); return Promise.resolve(); }
    return docChunk(x[DOC.chunk]).then(function (m) {
      if (openDocId !== d) return;
      var e = m && m.get(d);
      if (!e) { view.appendChild(el('p', 'err', 'document ' + d + ' missing from its chunk')); return; }
      var seg = e[1], marks = e[2], ok = e[3];
      if (ok !== 1) view.appendChild(el('p', 'note', ok === 0 ? 'The input could not be decoded to the text the spans point into; its figures:' : 'Text not available; its figures:'));
      var pre = el(ok === 1 ? 'pre' : 'p', ok === 1 ? 'text' : null), frag = document.createDocumentFragment();
      for (var i = 0; i < seg.length; i++) {
        if (i % 2 === 0) { if (seg[i]) frag.appendChild(document.createTextNode(seg[i])); continue; }
        var k = (i - 1) / 2 * 3, mk = el('mark', 'zm k-' + str(marks[k + 1]) + ' s-' + str(marks[k + 2]), seg[i]);
        mk.setAttribute('data-row', marks[k]);
        frag.appendChild(mk);
      }
      pre.appendChild(frag);
      view.appendChild(pre);
      if (r !== undefined && r !== null) {
        var sel = pre.querySelector('mark[data-row="' + (+r) + '"]');
        if (sel) selectMark(sel, true);
      }
    });
  }
  function route() {
    var m = /^#doc=(\d+)(?:&m=(\d+))?$/.exec(location.hash);
    if (m) {
      var p = openDoc(+m[1], m[2] === undefined ? null : +m[2]);
      root.setAttribute('data-zm-open', 'loading');
      p.then(function () { root.setAttribute('data-zm-open', m[1]); });
    }
  }

  /* ---- metrics: the table over all metrics ------------------------------ */
  var metricsTable = null;
  function MetricsTable() {
    var self = this, pane = el('div'), colb = el('div', 'col');
    colb.style.flex = '1 1 auto';
    var bar = el('div', 'bar');
    this.filters = {};
    var self2 = this;
    function sel(key, label, pairs) {
      var s = el('select');
      s.setAttribute('data-filter', key);
      s.appendChild(el('option', null, label + ': all'));
      s.options[0].value = '-1';
      pairs.sort(function (a, b) { return str(a[0]) < str(b[0]) ? -1 : str(a[0]) > str(b[0]) ? 1 : 0; });
      pairs.forEach(function (p) {
        var o = el('option', null, (p[0] ? str(p[0]) : '(none)') + ' (' + p[1] + ')');
        o.value = String(p[0]);
        s.appendChild(o);
      });
      s.addEventListener('change', function () { self2.filters[key] = +s.value; self2.refilter(); });
      self2.filters[key] = -1;
      bar.appendChild(s);
    }
    var C = IDX.counts;
    sel('kind', 'kind', pairsOf(C.kind));
    sel('status', 'status', pairsOf(C.status));
    sel('qual', 'qualifier', pairsOf(C.qualifier));
    this.hasInd = pairsOf(C.indicator).some(function (p) { return p[0] !== 0; });
    if (this.hasInd) sel('indicator', 'indicator', pairsOf(C.indicator));
    sel('region', 'region', pairsOf(C.region_metrics));
    var q = el('input');
    q.type = 'search'; q.placeholder = 'search subject and sentence'; q.id = 'metric-q';
    q.addEventListener('input', function () { self.q = q.value.trim(); self.refilter(); });
    bar.appendChild(q);
    this.q = '';
    var cnt = el('span');
    cnt.id = 'metric-count';
    bar.appendChild(cnt);
    this.cnt = cnt;
    colb.appendChild(bar);
    var c = rows.col;
    this.cols = [
      {key: 'doc', label: 'doc', w: 'w8', type: 'doc', get: function (r) { return docName(c.doc[r]).replace(/^.*\//, ''); }},
      {key: 'ord', label: '#', w: 'w2', num: 1, type: 'int', get: function (r) { return c.ord[r]; }},
      {key: 'kind', label: 'kind', w: 'w4', type: 'code', get: function (r) { return str(c.kind[r]); }},
      {key: 'status', label: 'status', w: 'w3', type: 'code', get: function (r) { return str(c.status[r]); }},
      {key: 'text', label: 'text', w: 'w6', type: 'str', get: function (r) { return c.text[r]; }},
      {key: 'value', label: 'value', w: 'w5', num: 1, type: 'num', get: valueText},
      {key: 'unit', label: 'unit', w: 'w3', type: 'code', get: function (r) { return str(c.unit[r]); }},
      {key: 'qual', label: 'qualifier', w: 'w4', type: 'code', get: function (r) { return str(c.qual[r]); }}
    ];
    if (this.hasInd) this.cols.push({key: 'indicator', label: 'indicator', w: 'w8', type: 'code', get: function (r) { return str(c.indicator[r]); }});
    this.cols.push(
      {key: 'subject', label: 'subject', w: 'w8', type: 'str', get: function (r) { return c.subject[r]; }},
      {key: 'from', label: 'time', w: 'w8', type: 'time', get: timeText},
      {key: 'change', label: 'change', w: 'w4', type: 'code', get: function (r) { return str(c.change[r]); }},
      {key: 'region', label: 'region', w: 'w4', type: 'region', get: function (r) { return str(docs[c.doc[r]][DOC.region]); }},
      {key: 'sentence', label: 'sentence', w: 'w14', type: 'sent', get: function (r) { return rows.pool[c.sent[r]]; }});
    var hb = el('div', 'vhead');
    head(hb, this.cols, function (i, h) { self.sortBy(i, h); });
    this.heads = hb.children;
    colb.appendChild(hb);
    var box = el('div', 'vlist');
    box.id = 'metric-list';
    colb.appendChild(box);
    var det = el('div', 'details');
    det.id = 'metric-details';
    det.textContent = 'Click a row to see all its fields; click a column heading to sort.';
    colb.appendChild(det);
    this.det = det;
    pane.appendChild(colb);
    addTab('metrics', 'Metrics', pane);
    var cls = this.cols.map(function (x) { return x.w + (x.num ? ' num' : ''); });
    this.sel = -1;
    this.list = new VList(box, this.cols.length, function (row, i) {
      var r = self.view[i];
      row.setAttribute('data-row', r);
      row.classList.toggle('sel', r === self.sel);
      setCells(row, self.cols.map(function (x) { return x.get(r); }), cls);
    });
    box.addEventListener('click', function (e) {
      var rw = e.target.closest('.vrow');
      if (rw) self.select(+rw.getAttribute('data-row'));
    });
    pane.onShow = function () { self.list.paint(); };
    this.order = null;
    this.view = new Uint32Array(0);
    this.sortCol = -1;
    this.dir = 1;
    cnt.textContent = 'loading\u2026';
  }
  MetricsTable.prototype.loaded = function () {
    var n = rows.n;
    this.order = new Uint32Array(n);
    for (var i = 0; i < n; i++) this.order[i] = i;
    this.refilter();
    /* the value column's ranks are part of loading (as an index is): the
     * first sort by value does not parse every value */
    this.ranks(this.cols.filter(function (c) { return c.key === 'value'; })[0]);
  };
  MetricsTable.prototype.select = function (r) {
    this.sel = r;
    this.list.paint();
    fieldList(this.det, rowFields(r));
    var b = el('button', null, 'open in its document'), d = rows.col.doc[r];
    b.type = 'button';
    b.addEventListener('click', function () { location.hash = 'doc=' + d + '&m=' + r; });
    this.det.appendChild(b);
  };
  MetricsTable.prototype.reveal = function (r) {
    var i = this.view.indexOf(r);
    if (i < 0) { /* filtered out: clear the filters */
      var self = this;
      Object.keys(this.filters).forEach(function (k) { self.filters[k] = -1; });
      document.querySelectorAll('select[data-filter]').forEach(function (s) { s.value = '-1'; });
      this.q = ''; $('metric-q').value = '';
      this.refilter();
      i = this.view.indexOf(r);
    }
    this.select(r);
    this.list.scrollTo(i);
  };
  /* Sorting: every column's values become ranks (an Int32Array, cached:
   * reversing costs one pass), then rank and row index are packed into one
   * float (rank * 2^32 + row, exact below 2^53) and sorted natively, with
   * no comparator: about ten times faster than Array.sort with one on
   * 800,000 rows. Ties keep the rows' order (documents', then the text's). */
  function rankStrings(n, get) {
    var m = new Map(), i;
    for (i = 0; i < n; i++) m.set(get(i), 0);
    var u = Array.from(m.keys()).sort();
    for (i = 0; i < u.length; i++) m.set(u[i], i);
    var rank = new Int32Array(n);
    for (i = 0; i < n; i++) rank[i] = m.get(get(i));
    return rank;
  }
  function rankNumbers(vals) {
    /* the values sorted natively, each row's rank found by bisection */
    var u = Float64Array.from(vals).sort(), w = 0, i, n = vals.length;
    for (i = 0; i < u.length; i++) if (i === 0 || u[i] !== u[i - 1]) u[w++] = u[i];
    var rank = new Int32Array(n);
    for (i = 0; i < n; i++) {
      var lo = 0, hi = w - 1, v = vals[i];
      while (lo < hi) { var mid = (lo + hi) >> 1; if (u[mid] < v) lo = mid + 1; else hi = mid; }
      rank[i] = lo;
    }
    return rank;
  }
  MetricsTable.prototype.ranks = function (col) {
    this.rankCache = this.rankCache || {};
    if (this.rankCache[col.key]) return this.rankCache[col.key];
    var c = rows.col, n = rows.n, pl = rows.pool, i, rank;
    var codeRank = this.codeRank || (this.codeRank = (function () {
      var idx = S.map(function (s, i) { return i; });
      idx.sort(function (a, b) { return S[a] < S[b] ? -1 : S[a] > S[b] ? 1 : a - b; });
      var r = new Int32Array(S.length);
      idx.forEach(function (code, i) { r[code] = i; });
      return r;
    })());
    switch (col.type) {
    case 'int': rank = Int32Array.from(c[col.key]); break;
    case 'code': rank = new Int32Array(n); for (i = 0; i < n; i++) rank[i] = codeRank[c[col.key][i]]; break;
    case 'region': rank = new Int32Array(n); for (i = 0; i < n; i++) rank[i] = codeRank[docs[c.doc[i]][DOC.region]]; break;
    case 'doc': {
      var o = docs.map(function (x, i) { return i; });
      o.sort(function (a, b) { var x = docs[a][DOC.name], y = docs[b][DOC.name]; return x < y ? -1 : x > y ? 1 : a - b; });
      var dr = new Int32Array(docs.length);
      for (i = 0; i < o.length; i++) dr[o[i]] = i;
      rank = new Int32Array(n);
      for (i = 0; i < n; i++) rank[i] = dr[c.doc[i]];
      break;
    }
    case 'num': {
      var v = new Float64Array(n);
      for (i = 0; i < n; i++) { var f = parseFloat(c.value[i]); v[i] = isNaN(f) ? -Infinity : f; }
      rank = rankNumbers(v);
      break;
    }
    case 'time': rank = rankStrings(n, function (i) { return pl[c.from[i]] + ' ' + pl[c.to[i]]; }); break;
    case 'sent': rank = rankStrings(n, function (i) { return pl[c.sent[i]]; }); break;
    default: { var a = c[col.key]; rank = rankStrings(n, function (i) { return a[i]; }); }
    }
    return (this.rankCache[col.key] = rank);
  };
  MetricsTable.prototype.sortBy = function (i, h) {
    if (!rows.loaded) return;
    var col = this.cols[i];
    this.dir = this.sortCol === i ? -this.dir : 1;
    this.sortCol = i;
    for (var j = 0; j < this.heads.length; j++) this.heads[j].removeAttribute('aria-sort');
    h.setAttribute('aria-sort', this.dir > 0 ? 'ascending' : 'descending');
    var rank = this.ranks(col), n = rank.length, max = 0, k;
    for (k = 0; k < n; k++) if (rank[k] > max) max = rank[k];
    var packed = new Float64Array(n), P = 4294967296;
    for (k = 0; k < n; k++) packed[k] = (this.dir > 0 ? rank[k] : max - rank[k]) * P + k;
    packed.sort();
    for (k = 0; k < n; k++) this.order[k] = packed[k] % P;
    this.refilter();
  };
  MetricsTable.prototype.refilter = function () {
    if (!rows.loaded) return;
    var c = rows.col, f = this.filters, q = this.q, order = this.order, n = order.length;
    var fk = f.kind, fs = f.status, fq = f.qual, fi = this.hasInd ? f.indicator : -1, fr = f.region;
    var out = new Uint32Array(n), m = 0, sents = rows.pool;
    for (var i = 0; i < n; i++) {
      var r = order[i];
      if ((fk >= 0 && c.kind[r] !== fk) || (fs >= 0 && c.status[r] !== fs) || (fq >= 0 && c.qual[r] !== fq) ||
        (fi >= 0 && c.indicator[r] !== fi) || (fr >= 0 && docs[c.doc[r]][DOC.region] !== fr)) continue;
      if (q && c.subject[r].indexOf(q) < 0 && sents[c.sent[r]].indexOf(q) < 0) continue;
      out[m++] = r;
    }
    this.view = out.subarray(0, m);
    this.cnt.textContent = m + ' of ' + n + ' metrics';
    this.cnt.setAttribute('data-n', String(m));
    if (this.sel >= 0 && this.view.indexOf(this.sel) < 0) this.list.box.scrollTop = 0;
    this.list.setCount(m);
  };

  defineKind('rows', {
    eager: true,
    onChunk: function (n, ch) {
      /* entry 0 of every chunk's pool is "": index 0 stays the one "" */
      var base = rows.n, pb = rows.pool.length - 1, c = rows.col;
      for (var j = 1; j < ch.p.length; j++) rows.pool.push(ch.p[j]);
      for (var k = 0; k < COLS.length; k++) {
        var a = ch.c[k], dst = c[COLS[k]];
        if (IS_STR(k)) { for (var i = 0; i < ch.n; i++) dst[base + i] = a[i]; }
        else if (IS_POOL(k)) { for (var i2 = 0; i2 < ch.n; i2++) dst[base + i2] = a[i2] ? a[i2] + pb : 0; }
        else dst.set(a, base);
      }
      rows.n += ch.n;
    },
    onProgress: function (i, n) { status('metrics loaded: chunk ' + i + ' of ' + n); },
    onDone: function () {
      rows.loaded = true;
      status('all metrics loaded');
      metricsTable.loaded();
    }
  });
  function allocRows() {
    var n = IDX.metrics;
    rows.pool = [''];
    rows.total = n;
    COLS.forEach(function (name, k) {
      rows.col[name] = IS_STR(k) ? new Array(n).fill('') : new Int32Array(n);
    });
  }

  /* ---- errors ----------------------------------------------------------- */
  function buildErrors() {
    var pane = el('div', 'col'), ul = el('ul');
    var n = 0;
    docs.forEach(function (x) {
      if (!x[DOC.err]) return;
      var li = el('li');
      li.appendChild(el('b', null, x[DOC.name]));
      li.appendChild(document.createTextNode(': ' + x[DOC.err]));
      ul.appendChild(li);
      n++;
    });
    if (!n) pane.appendChild(el('p', 'meta', 'No document failed.'));
    pane.appendChild(ul);
    addTab('errors', 'Errors (' + n + ')', pane);
  }

  /* ---- targets: SPEC section 8 track records (track-NNNN.js) ------------- */
  var tracks = [];
  function buildTargets() {
    var pane = el('div', 'col'), bar = el('div', 'bar');
    var vs = el('select');
    vs.setAttribute('data-filter', 'verdict');
    ['all', 'met', 'missed', 'pending', 'no_report', 'not_comparable'].forEach(function (v) {
      var o = el('option', null, 'verdict: ' + v); o.value = v; vs.appendChild(o);
    });
    var cnt = el('span');
    cnt.id = 'track-count';
    bar.appendChild(vs); bar.appendChild(cnt);
    pane.appendChild(bar);
    var cols = [{label: 'region', w: 'w5'}, {label: 'indicator', w: 'w10'}, {label: 'target', w: 'w10'},
      {label: 'target time', w: 'w8'}, {label: 'actual', w: 'w6'}, {label: 'actual time', w: 'w8'}, {label: 'verdict', w: 'w5'}];
    var hb = el('div', 'vhead');
    head(hb, cols);
    pane.appendChild(hb);
    var box = el('div', 'vlist');
    box.id = 'track-list';
    pane.appendChild(box);
    var det = el('div', 'details');
    pane.appendChild(det);
    var view = [];
    function fig(f, qual) {
      if (!f) return '';
      return (f.qualifier && f.qualifier !== 'exact' && qual ? f.qualifier + ' ' : '') + f.value + ' ' + (f.unit || '');
    }
    function span(f) { return f && f.time ? (f.time.from || '') + '\u2026' + (f.time.to || '') : ''; }
    var cls = cols.map(function (c, i) { return c.w + (i === 6 ? ' verdict' : ''); });
    var list = new VList(box, cols.length, function (row, i) {
      var t = tracks[view[i]];
      row.setAttribute('data-track', view[i]);
      cls[6] = 'w5 verdict-' + String(t.verdict);
      setCells(row, [t.region, t.indicator, fig(t.target, 1), span(t.target), fig(t.actual, 0), span(t.actual), t.verdict], cls);
    });
    function refilter() {
      view = [];
      for (var i = 0; i < tracks.length; i++) if (vs.value === 'all' || tracks[i].verdict === vs.value) view.push(i);
      cnt.textContent = view.length + ' of ' + tracks.length + ' targets';
      list.setCount(view.length);
    }
    vs.addEventListener('change', refilter);
    box.addEventListener('click', function (e) {
      var rw = e.target.closest('.vrow');
      if (!rw) return;
      var t = tracks[+rw.getAttribute('data-track')], f = [['region', t.region], ['indicator', t.indicator], ['verdict', t.verdict]];
      ['target', 'actual'].forEach(function (w) {
        var x = t[w];
        if (!x) return;
        f.push([w, fig(x, 1) + (x.time ? ' (' + span(x) + ')' : '')], [w + ' id', x.id]);
      });
      fieldList(det, f);
    });
    addTab('targets', 'Targets', pane);
    pane.onShow = function () { list.paint(); };
    return refilter;
  }
  var targetsRefilter = null;
  defineKind('track', {
    eager: true,
    onChunk: function (n, list) { for (var i = 0; i < list.length; i++) if (list[i] && list[i].type === 'track') tracks.push(list[i]); },
    onDone: function () { if (targetsRefilter) targetsRefilter(); }
  });

  /* ---- start: index.js -------------------------------------------------- */
  defineKind('index', {eager: false, onChunk: function (n, idx) {
    IDX = idx; S = idx.strings; docs = idx.docs;
    allocRows();
    buildFrame();
    buildDocs();
    metricsTable = new MetricsTable();
    buildErrors();
    if (idx.chunks.track > 0) targetsRefilter = buildTargets();
    showTab('docs');
    status(idx.chunks.rows ? 'loading metrics\u2026' : 'all metrics loaded');
    /* the first screen is drawn at the next frame; then the rest loads */
    requestAnimationFrame(function () {
      setTimeout(function () {
        root.setAttribute('data-zm-state', 'index');
        root.setAttribute('data-zm-first-ms', String(Math.round(performance.now())));
        window.addEventListener('hashchange', route);
        route();
        loadEager();
      }, 0);
    });
  }});
})();
