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
  /* The metric fields are the library's field table, described by
   * index.js (src/cli/emit_html.c): FIELDS in table order, each {name, type,
   * review, col}, its values in the rows chunks' arrays from col on (a range
   * three, a span two); F by name. A field with review set is a column of
   * the table (and, a code, a filter and a summary count); every field is
   * in the details. A document's row in index.js: the page's numbers (DOC
   * below), then the document fields (docfields), DOC by name. */
  var FIELDS = [], F = {};
  var DOC = {n: 0, first: 1, chunk: 2, err: 3, rcode: 4};
  /* column widths (presentation; a field not named takes its type's) */
  var WIDTH = {id: 'w2', status: 'w3', unit: 'w3', text: 'w6'};
  var TYPE_WIDTH = {doc: 'w8', id: 'w2', code: 'w4', text: 'w8', number: 'w5', pool: 'w10', range: 'w8', span: 'w4', 'int': 'w3'};

  var IDX = null, S = null, docs = null;
  var rows = {n: 0, total: 0, loaded: false, col: [], pool: []};

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
  function docName(d) { return docs[d][DOC.doc]; }
  function rowDoc(r) { return rows.col[F.doc.col][r]; }
  function regionCode(r) { return docs[rowDoc(r)][DOC.rcode]; }
  /* field f of metric r as text */
  function fieldText(f, r) {
    var c = rows.col, a = c[f.col], p = rows.pool;
    switch (f.type) {
    case 'doc': return docName(a[r]);
    case 'id': return docName(rowDoc(r)) + '#' + a[r];
    case 'code': return str(a[r]);
    case 'pool': return p[a[r]];
    case 'range': return c[f.col + 1][r] ? p[a[r]] + ' (' + p[c[f.col + 1][r]] + '\u2026' + p[c[f.col + 2][r]] + ')' : p[a[r]];
    case 'span': return '[' + a[r] + ', ' + c[f.col + 1][r] + ')';
    case 'int': return isNaN(a[r]) ? '' : String(a[r]);
    default: return a[r];
    }
  }
  /* a number of the table followed by one that is not (value, value_max):
   * shown as a range */
  function rangeEnd(f) {
    var g = FIELDS[FIELDS.indexOf(f) + 1];
    return f.type === 'number' && g && g.type === 'number' && !g.review ? g : null;
  }
  function cellText(f, r) {
    var g = rangeEnd(f), v = fieldText(f, r);
    return g && rows.col[g.col][r] ? v + '\u2013' + rows.col[g.col][r] : v;
  }
  function rowFields(r) {
    var out = FIELDS.map(function (f) { return [f.name, fieldText(f, r)]; });
    out.push(['region', str(regionCode(r))]);
    return out;
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
  /* the code fields of the table with a value somewhere: a filter and a
   * summary count each */
  function filterFields() {
    return FIELDS.filter(function (f) {
      return f.type === 'code' && f.review && pairsOf(IDX.counts[f.name] || []).some(function (p) { return p[0] !== 0; });
    });
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
    filterFields().forEach(function (f) { counts.appendChild(countLine(f.name, pairsOf(C[f.name]))); });
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
      var base = x[DOC.doc].replace(/^.*\//, '') || x[DOC.doc];
      setCells(row, [base, x[DOC.err] ? 'error: ' + x[DOC.err] : x[DOC.title], str(x[DOC.rcode]), x[DOC.n]], cls);
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
          if (docs[d][DOC.doc].indexOf(s) >= 0 || (docs[d][DOC.title] || '').indexOf(s) >= 0) docView.push(d);
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
        /* the table's fields, as the row shows them */
        var r = +m.getAttribute('data-row');
        m.title = FIELDS.filter(function (f) { return f.review && f.type !== 'doc' && f.type !== 'id' && f.name !== 'text'; })
          .map(function (f) { return [f.name, cellText(f, r)]; }).filter(function (x) { return x[1]; })
          .map(function (x) { return x[0] + ': ' + x[1]; }).join('\n');
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
    view.appendChild(el('h2', null, x[DOC.doc]));
    /* the document fields: strings as they are, the others named */
    var meta = [x[DOC.title] ? x[DOC.title] + (x[DOC.title_inferred] ? ' (title inferred)' : '') : ''];
    IDX.docfields.forEach(function (name) {
      var v = x[DOC[name]];
      if (name === 'doc' || name === 'title' || name === 'title_inferred' || v === null || v === '') return;
      meta.push(typeof v === 'string' && name !== 'period' ? v : name + ' ' + v);
    });
    meta = meta.filter(function (s) { return s; });
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
    this.filterFields = filterFields();
    this.filterFields.forEach(function (f) { sel(f.name, f.name, pairsOf(C[f.name])); });
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
    /* the table's fields (a code field empty everywhere left out), then the
     * document's region and the sentence */
    var shown = this.filterFields;
    this.cols = FIELDS.filter(function (f) { return f.review && (f.type !== 'code' || shown.indexOf(f) >= 0); })
      .map(function (f) {
        return {key: f.name, label: f.type === 'id' ? '#' : f.name, w: WIDTH[f.name] || TYPE_WIDTH[f.type], f: f, type: f.type,
          num: f.type === 'id' || f.type === 'number' || f.type === 'int',
          get: f.type === 'doc' ? function (r) { return docName(rowDoc(r)).replace(/^.*\//, ''); } : function (r) { return cellText(f, r); }};
      });
    this.cols.push({key: 'region', label: 'region', w: 'w4', type: 'region', get: function (r) { return str(regionCode(r)); }});
    if (F.sentence) this.cols.push({key: 'sentence', label: 'sentence', w: 'w14', type: 'pool', f: F.sentence, get: function (r) { return fieldText(F.sentence, r); }});
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
    var v = this.cols.filter(function (c) { return c.type === 'number'; })[0];
    if (v) this.ranks(v);
  };
  MetricsTable.prototype.select = function (r) {
    this.sel = r;
    this.list.paint();
    fieldList(this.det, rowFields(r));
    var b = el('button', null, 'open in its document'), d = rowDoc(r);
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
    var a = col.f ? c[col.f.col] : null;
    switch (col.type) {
    case 'id': rank = Int32Array.from(a); break;
    case 'code': rank = new Int32Array(n); for (i = 0; i < n; i++) rank[i] = codeRank[a[i]]; break;
    case 'region': rank = new Int32Array(n); for (i = 0; i < n; i++) rank[i] = codeRank[regionCode(i)]; break;
    case 'doc': {
      var o = docs.map(function (x, i) { return i; });
      o.sort(function (a, b) { var x = docs[a][DOC.doc], y = docs[b][DOC.doc]; return x < y ? -1 : x > y ? 1 : a - b; });
      var dr = new Int32Array(docs.length);
      for (i = 0; i < o.length; i++) dr[o[i]] = i;
      rank = new Int32Array(n);
      for (i = 0; i < n; i++) rank[i] = dr[a[i]];
      break;
    }
    case 'number':
    case 'int': {
      var v = new Float64Array(n);
      for (i = 0; i < n; i++) { var f = col.type === 'int' ? a[i] : parseFloat(a[i]); v[i] = isNaN(f) ? -Infinity : f; }
      rank = rankNumbers(v);
      break;
    }
    case 'range': {
      var fr = c[col.f.col + 1], to = c[col.f.col + 2];
      rank = rankStrings(n, function (i) { return pl[fr[i]] + ' ' + pl[to[i]]; });
      break;
    }
    case 'span': rank = Int32Array.from(a); break;
    case 'pool': rank = rankStrings(n, function (i) { return pl[a[i]]; }); break;
    default: rank = rankStrings(n, function (i) { return a[i]; });
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
    /* the filters set: [its field's array, the code wanted] */
    var on = this.filterFields.filter(function (x) { return f[x.name] >= 0; }).map(function (x) { return [c[x.col], f[x.name]]; });
    var fr = f.region, dc = c[F.doc.col], subj = F.subject ? c[F.subject.col] : null, sent = F.sentence ? c[F.sentence.col] : null;
    var out = new Uint32Array(n), m = 0, pl = rows.pool, nf = on.length;
    next: for (var i = 0; i < n; i++) {
      var r = order[i];
      for (var j = 0; j < nf; j++) if (on[j][0][r] !== on[j][1]) continue next;
      if (fr >= 0 && docs[dc[r]][DOC.rcode] !== fr) continue;
      if (q && !(subj && subj[r].indexOf(q) >= 0) && !(sent && pl[sent[r]].indexOf(q) >= 0)) continue;
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
      var enc = IDX.cols, i;
      for (var k = 0; k < enc.length; k++) {
        var a = ch.c[k], dst = c[k];
        if (enc[k] === 's') { for (i = 0; i < ch.n; i++) dst[base + i] = a[i]; }
        else if (enc[k] === 'p') { for (i = 0; i < ch.n; i++) dst[base + i] = a[i] ? a[i] + pb : 0; }
        else if (enc[k] === 'n') { for (i = 0; i < ch.n; i++) dst[base + i] = a[i] === null ? NaN : a[i]; }
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
    FIELDS = IDX.fields;
    FIELDS.forEach(function (f) { F[f.name] = f; });
    IDX.docfields.forEach(function (name, i) { DOC[name] = 5 + i; });
    rows.col = IDX.cols.split('').map(function (e) {
      return e === 's' ? new Array(n).fill('') : e === 'n' ? new Float64Array(n).fill(NaN) : new Int32Array(n);
    });
  }

  /* ---- errors ----------------------------------------------------------- */
  function buildErrors() {
    var pane = el('div', 'col'), ul = el('ul');
    var n = 0;
    docs.forEach(function (x) {
      if (!x[DOC.err]) return;
      var li = el('li');
      li.appendChild(el('b', null, x[DOC.doc]));
      li.appendChild(document.createTextNode(': ' + x[DOC.err]));
      ul.appendChild(li);
      n++;
    });
    if (!n) pane.appendChild(el('p', 'meta', 'No document failed.'));
    pane.appendChild(ul);
    addTab('errors', 'Errors (' + n + ')', pane);
  }

  /* ---- targets: SPEC section 8 track records (track-NNNN.js) ------------- */
  var tracks = [], docIndex = null;
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
      /* each figure linked to its highlight in its document (#doc=N&m=ROW),
       * when the page holds that document (not with --from-jsonl) */
      ['target', 'actual'].forEach(function (w) {
        var x = t[w], h = x && x.id ? x.id.lastIndexOf('#') : -1;
        if (h < 0) return;
        if (!docIndex) { docIndex = {}; for (var d = 0; d < docs.length; d++) docIndex[docs[d][DOC.doc]] = d; }
        var di = docIndex[x.doc];
        if (di === undefined) return;
        var a = el('a', null, 'open the ' + w + ' in ' + x.doc);
        a.href = '#doc=' + di + '&m=' + (docs[di][DOC.first] + (+x.id.slice(h + 1)) - 1);
        a.setAttribute('data-link', w);
        det.appendChild(el('div')).appendChild(a);
      });
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
