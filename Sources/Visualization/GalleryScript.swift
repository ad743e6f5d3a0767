extension GalleryAssets {
    /// Renders the rows from the embedded JSON: sorting, filters, statistics, chunked rows as the reader
    /// scrolls (an IntersectionObserver on the sentinel below the table), lazy thumbnails.
    static let script = #"""
    (function () {
      'use strict';
      const D = JSON.parse(document.getElementById('gallery-data').textContent);
      const two = D.runs.length === 2, CHUNK = 100;
      const $ = (id) => document.getElementById(id);
      const esc = (s) => String(s).replace(/[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
      const url = (p) => p.split('/').map(encodeURIComponent).join('/');
      const nf = new Intl.NumberFormat('en-US');
      const pct = (n, d) => d ? (100 * n / d).toFixed(1) + '%' : '-';
      const color = (v) => `hsl(${Math.round(120 * Math.max(0, Math.min(1, v)))}, 62%, 42%)`;
      const rows = D.rows.map((r, i) => Object.assign(r, { i: i, d: two ? r.r[1].iou - r.r[0].iou : 0 }));
      const runLabel = (k) => two ? (k ? 'B: ' : 'A: ') : '';

      // ---- statistics per run, with an IoU histogram (20 bins, the 0.5 line dashed) ----
      function histogram(k) {
        const bins = new Array(20).fill(0);
        for (const r of rows) bins[Math.min(19, Math.floor(r.r[k].iou * 20))]++;
        const top = Math.max(1, ...bins), W = 200, H = 44;
        let s = `<svg class="hist" width="${W}" height="${H + 11}" role="img" aria-label="IoU histogram">`;
        bins.forEach((n, b) => {
          const h = Math.round((H - 2) * n / top), x = b * W / 20;
          s += `<rect x="${x + 0.5}" y="${H - h}" width="${W / 20 - 1}" height="${h}"` +
               ` fill="${color((b + 0.5) / 20)}"><title>IoU ${(b / 20).toFixed(2)}-` +
               `${((b + 1) / 20).toFixed(2)}: ${nf.format(n)} images</title></rect>`;
        });
        s += `<line x1="${W / 2}" x2="${W / 2}" y1="0" y2="${H}" stroke="#334155" stroke-dasharray="2,2"/>`;
        s += `<text x="0" y="${H + 10}">0</text><text x="${W / 2 - 6}" y="${H + 10}">0.5</text>` +
             `<text x="${W - 6}" y="${H + 10}">1</text></svg>`;
        return s;
      }
      function stats() {
        let html = '';
        D.runs.forEach((name, k) => {
          let sum = 0, loc = 0, cls = 0, both = 0;
          for (const r of rows) {
            const o = r.r[k], good = o.iou >= 0.5, right = o.p === r.c;
            sum += o.iou; loc += good; cls += right; both += good && right;
          }
          const n = rows.length;
          html += `<div class="run"><div><div class="name" title="${esc(name)}">` +
            `${runLabel(k)}${esc(name)}</div>` +
            `<dl><dt>images</dt><dd>${nf.format(n)}</dd>` +
            `<dt>mean IoU</dt><dd>${n ? (sum / n).toFixed(3) : '-'}</dd>` +
            `<dt>IoU &ge; 0.5</dt><dd>${pct(loc, n)}</dd><dt>class right</dt><dd>${pct(cls, n)}</dd>` +
            `<dt>both</dt><dd>${pct(both, n)}</dd></dl></div>${histogram(k)}</div>`;
        });
        $('stats').innerHTML = html;
      }

      // ---- sorting and filtering ----
      const sorts = [['iou', 'IoU' + (two ? ' A' : '')]]
        .concat(two ? [['iou2', 'IoU B'], ['diff', 'IoU B - A']] : [])
        .concat([['conf', 'confidence' + (two ? ' A' : '')]], two ? [['conf2', 'confidence B']] : [])
        .concat([['cls', 'class'], ['id', 'image id']]);
      const key = { iou: (r) => r.r[0].iou, iou2: (r) => r.r[1].iou, diff: (r) => r.d,
                    conf: (r) => r.r[0].s, conf2: (r) => r.r[1].s, cls: (r) => r.c };
      const shows = [
        ['all', 'all', () => true],
        ['ok', 'IoU \u2265 0.5', (r) => r.r[0].iou >= 0.5],
        ['bad', 'IoU < 0.5', (r) => r.r[0].iou < 0.5],
        ['cls', 'wrong class', (r) => r.r.some((o) => o.p !== r.c)],
      ].concat(two ? [
        ['gain', 'only B \u2265 0.5', (r) => r.r[0].iou < 0.5 && r.r[1].iou >= 0.5],
        ['loss', 'only A \u2265 0.5', (r) => r.r[0].iou >= 0.5 && r.r[1].iou < 0.5],
      ] : []);
      const defaults = { key: 'iou', dir: 1, cls: '', show: 'all', q: '' };
      const state = Object.assign({}, defaults);
      function order(a, b) {
        let v;
        if (state.key === 'id') v = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        else v = key[state.key](a) - key[state.key](b);
        if (v === 0 && state.key === 'cls') return a.r[0].iou - b.r[0].iou || a.i - b.i;
        return v * state.dir || a.i - b.i;
      }

      function controls() {
        const counts = new Map();
        for (const r of rows) {
          const c = counts.get(r.c) || { name: r.cn, n: 0, iou: 0 };
          c.n++; c.iou += r.r[0].iou; counts.set(r.c, c);
        }
        const option = (value, text) => `<option value="${value}">${esc(text)}</option>`;
        const classes = [...counts.entries()].sort((a, b) => a[0] - b[0])
          .map(([c, v]) => option(c, `${c} ${v.name} (${v.n}, IoU ${(v.iou / v.n).toFixed(2)})`)).join('');
        const buttons = shows.map(([k, t]) => `<button data-show="${k}">${esc(t)}</button>`).join('');
        $('controls').innerHTML =
          `<label>sort <select id="sort">${sorts.map(([k, t]) => option(k, t)).join('')}</select></label>` +
          `<select id="dir">${option(1, 'ascending')}${option(-1, 'descending')}</select>` +
          `<label>class <select id="cls">${option('', `all ${nf.format(counts.size)} classes`)}${classes}` +
          `</select></label><span class="seg" id="show">${buttons}</span>` +
          `<input type="search" id="q" placeholder="filter image id" aria-label="filter image id">` +
          `<span id="count"></span>`;
        $('sort').onchange = (e) => { state.key = e.target.value; state.dir = 1; update(); };
        $('dir').onchange = (e) => { state.dir = +e.target.value; update(); };
        $('cls').onchange = (e) => { state.cls = e.target.value; update(); };
        $('q').oninput = (e) => { state.q = e.target.value.trim().toLowerCase(); update(); };
        $('show').onclick = (e) => {
          const b = e.target.closest('button'); if (!b) return;
          state.show = b.dataset.show; update();
        };
      }

      // ---- the table ----
      function head() {
        const th = (k, t, cls) =>
          `<th${k ? ` data-key="${k}"` : ''}${cls ? ` class="${cls}"` : ''}>${t}</th>`;
        let h = th('', '#', 'num') + (two ? th('', 'A panel') + th('', 'B panel') : th('', 'panel')) +
                th('cls', 'image / class');
        if (two) {
          h += th('conf', 'predicted A') + th('conf2', 'predicted B') + th('iou', 'IoU A') +
               th('iou2', 'IoU B') + th('diff', '&Delta; B - A', 'num');
        } else {
          h += th('conf', 'predicted') + th('iou', 'IoU');
        }
        document.querySelector('#gallery thead').innerHTML = `<tr>${h}</tr>`;
        document.querySelector('#gallery thead').onclick = (e) => {
          const t = e.target.closest('th[data-key]'); if (!t) return;
          state.dir = state.key === t.dataset.key ? -state.dir : 1; state.key = t.dataset.key; update();
        };
      }
      function thumb(o) {
        const size = o.tw && o.th ? ` width="${Math.round(o.tw * 80 / o.th)}" height="80"` : '';
        return `<td class="th"><a href="${esc(url(o.panel))}" target="_blank" title="open the full panel">` +
               `<img loading="lazy" decoding="async" src="${esc(url(o.thumb))}"${size} alt="panel"></a></td>`;
      }
      function predicted(r, o) {
        const right = o.p === r.c;
        return `<td class="pred"><div class="pc ${right ? 'right' : 'wrong'}">` +
               `${right ? '\u2713' : '\u2717'} ${o.p} ${esc(o.pn)}</div>` +
               `<div class="conf">conf ${o.s.toFixed(3)} &middot; ` +
               `${o.nb} box${o.nb === 1 ? '' : 'es'}</div></td>`;
      }
      const iou = (v) => `<td class="num iou"><span>${v.toFixed(3)}</span>` +
        `<span class="bar"><i style="width:${(100 * v).toFixed(1)}%;background:${color(v)}"></i></span></td>`;
      function rowHTML(r, n) {
        const a = r.r[0];
        let h = `<tr data-id="${esc(r.id)}" data-iou="${a.iou}" class="${a.iou >= 0.5 ? 'ok' : 'bad'}">` +
                `<td class="n">${n + 1}</td>` + r.r.map(thumb).join('') +
                `<td class="img"><div class="id">${esc(r.id)}</div>` +
                `<div class="cls">${r.c} ${esc(r.cn)}</div></td>` +
                r.r.map((o) => predicted(r, o)).join('') + r.r.map((o) => iou(o.iou)).join('');
        if (two) {
          const trend = r.d > 0 ? 'up' : r.d < 0 ? 'down' : '';
          h += `<td class="num ${trend}">${r.d > 0 ? '+' : ''}${r.d.toFixed(3)}</td>`;
        }
        return h + '</tr>';
      }

      // ---- chunked rendering: the first chunk at once, the next ones as the sentinel nears the view ----
      const body = document.querySelector('#gallery tbody'), sentinel = $('more');
      let view = rows, shown = 0;
      function chunk() {
        const end = Math.min(view.length, shown + CHUNK);
        let h = '';
        for (let k = shown; k < end; k++) h += rowHTML(view[k], k);
        body.insertAdjacentHTML('beforeend', h);
        shown = end;
        sentinel.textContent = shown < view.length ? `${nf.format(view.length - shown)} more below` :
          view.length ? '' : 'no image matches';
        $('count').textContent = `${nf.format(view.length)} of ${nf.format(rows.length)} images`;
      }
      function fill() {
        while (shown < view.length && sentinel.getBoundingClientRect().top < innerHeight + 1200) chunk();
      }

      // The view lives in the address (#sort=diff&dir=-1&show=bad&cls=12&q=text): links and reloads keep it.
      function readHash() {
        const p = new URLSearchParams(location.hash.slice(1));
        Object.assign(state, defaults);
        if (sorts.some((s) => s[0] === p.get('sort'))) state.key = p.get('sort');
        if (p.get('dir') === '-1') state.dir = -1;
        if (shows.some((s) => s[0] === p.get('show'))) state.show = p.get('show');
        if (rows.some((r) => String(r.c) === p.get('cls'))) state.cls = p.get('cls');
        if (p.get('q')) state.q = p.get('q').toLowerCase();
      }
      function writeHash() {
        const p = new URLSearchParams();
        if (state.key !== 'iou') p.set('sort', state.key);
        if (state.dir < 0) p.set('dir', '-1');
        if (state.show !== 'all') p.set('show', state.show);
        if (state.cls) p.set('cls', state.cls);
        if (state.q) p.set('q', state.q);
        const hash = p.toString();
        if (hash !== location.hash.slice(1)) {
          history.replaceState(null, '', hash ? '#' + hash : location.pathname);
        }
      }
      function update() {
        const show = shows.find((s) => s[0] === state.show)[2];
        view = rows.filter((r) => (!state.cls || r.c === +state.cls) && show(r) &&
                                  (!state.q || r.id.toLowerCase().includes(state.q)));
        view.sort(order);
        $('sort').value = state.key; $('dir').value = String(state.dir); $('cls').value = state.cls;
        if ($('q').value.trim().toLowerCase() !== state.q) $('q').value = state.q;
        writeHash();
        for (const b of document.querySelectorAll('#show button')) {
          b.classList.toggle('on', b.dataset.show === state.show);
        }
        for (const t of document.querySelectorAll('#gallery th[data-key]')) {
          t.classList.toggle('sorted', t.dataset.key === state.key);
          t.textContent = t.textContent.replace(/ [\u25b2\u25bc]$/, '') +
            (t.dataset.key === state.key ? (state.dir > 0 ? ' \u25b2' : ' \u25bc') : '');
        }
        body.innerHTML = ''; shown = 0;
        chunk(); fill();
      }

      addEventListener('hashchange', () => { readHash(); update(); });
      readHash(); stats(); controls(); head();
      const pinHead = () =>
        document.documentElement.style.setProperty('--head-h', $('top').offsetHeight + 'px');
      pinHead();
      addEventListener('resize', pinHead);
      if ('IntersectionObserver' in window) {
        const observer = new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting)) fill(); },
                                                  { rootMargin: '1200px 0px' });
        observer.observe(sentinel);
      } else {
        addEventListener('scroll', fill, { passive: true });
      }
      update();
    })();
    """#
}
