// 检索: one box across record types (GET /<records>?q=&facets=true on each),
// Chinese full text, filters and facets, the query's characters marked.
import { api, esc, when, highlight, problemText, exportButtons } from '../app.js';
import { collections, searchable, statuses, districtLabel, fields, codedValue } from '../labels.js';

const textFields = ['description', 'title', 'category', 'notes', 'resolution', 'summary', 'content', 'finding', 'unit'];
const facetLabels = { status: '状态', category: '类别', district: '片区', butler: '管家', area: '区域', kind: '类型', level: '处理层级', warranty: '保修' };

function facetValue(field, v) { return codedValue(field, v); }

function summary(item, q) {
  const parts = [];
  for (const f of textFields) {
    if (item[f] && typeof item[f] === 'string' && f !== 'unit') parts.push(highlight(item[f], q));
  }
  return parts.slice(0, 2).join(' · ') || esc(item.id);
}

export async function render(view, { query }) {
  const q = query.get('q') || '';
  const only = query.get('type') || '';
  const from = query.get('from') || '';
  const to = query.get('to') || '';
  const filters = {};
  for (const [k, v] of query) if (!['q', 'type', 'from', 'to'].includes(k)) filters[k] = v;
  view.innerHTML = `<h1>检索</h1>
  <form id="search" class="row search">
    <input name="q" type="search" value="${esc(q)}" placeholder="输入关键词，如：漏水、噪音、3-2-501" aria-label="关键词" autofocus>
    <select name="type" aria-label="记录类型"><option value="">全部类型</option>
      ${searchable.map((c) => `<option value="${c}"${c === only ? ' selected' : ''}>${esc(collections[c])}</option>`).join('')}</select>
    <label>从 <input name="from" type="date" value="${esc(from)}"></label>
    <label>到 <input name="to" type="date" value="${esc(to)}"></label>
    <button type="submit">搜索</button>
  </form>
  ${Object.keys(filters).length ? `<p class="filters">筛选：${Object.entries(filters).map(([k, v]) => {
    const rest = new URLSearchParams(query); rest.delete(k);
    return `<a class="chip" href="#/search?${rest}">${esc(facetLabels[k] || k)}：${esc(facetValue(k, v))} ✕</a>`;
  }).join(' ')}</p>` : ''}
  <div id="results"></div>`;
  const form = view.querySelector('#search');
  form.onsubmit = (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const p = new URLSearchParams();
    for (const k of ['q', 'type', 'from', 'to']) if (f.get(k)) p.set(k, f.get(k).trim());
    for (const [k, v] of Object.entries(filters)) p.set(k, v);
    location.hash = `#/search?${p}`;
  };
  if (!q && !only && !Object.keys(filters).length) {
    view.querySelector('#results').innerHTML = '<p class="muted">在投诉、报修、装修、走访、活动、空房、钥匙和入住记录中搜索。</p>';
    return;
  }
  const out = view.querySelector('#results');
  out.innerHTML = '<p class="muted">正在搜索……</p>';
  const types = only ? [only] : searchable;
  const sections = [];
  // A few at a time: the server runs a handful of searches at once.
  for (const c of types) {
    const p = new URLSearchParams({ size: only ? '50' : '10', facets: 'true' });
    if (q) p.set('q', q);
    if (from) p.set('from', from);
    if (to) p.set('to', to);
    for (const [k, v] of Object.entries(filters)) p.set(k, v);
    try {
      const l = await api(`/${c}?${p}`);
      if (!l.total && !only) continue;
      sections.push(section(c, l, p, q, query));
    } catch (err) {
      if (err.status === 403 || (err.status === 400 && !only)) continue; // not this role's, or a filter it lacks
      sections.push(`<section class="card"><h2>${esc(collections[c])}</h2><div class="error">${esc(problemText(err))}</div></section>`);
    }
  }
  out.innerHTML = sections.join('') || `<p>没有找到与“${esc(q)}”相符的记录。</p>`;
}

function section(c, l, p, q, query) {
  const facets = Object.entries(l.facets || {}).filter(([, terms]) => terms && terms.length).map(([field, terms]) => `
    <div class="facet"><b>${esc(facetLabels[field] || fields[field] || field)}</b>
    ${terms.slice(0, 8).map((t) => {
      const next = new URLSearchParams(query); next.set(field, t.term); next.set('type', c);
      return `<a href="#/search?${next}">${esc(facetValue(field, t.term))} <small>${t.count}</small></a>`;
    }).join('')}</div>`).join('');
  const exp = new URLSearchParams(p); exp.delete('facets'); exp.delete('size');
  return `<section class="card result" data-collection="${esc(c)}">
    <h2>${esc(collections[c])} <small class="muted">共 ${l.total} 条</small> ${exportButtons(`/${c}?${exp}`, collections[c])}</h2>
    <div class="facets">${facets}</div>
    <ul class="hits">${l.items.map((it) => `<li>
      <a class="record-link" href="#/record/${esc(c)}/${encodeURIComponent(it.id)}">${summary(it, q)}</a>
      <span class="meta">${esc(it.unit || '')} ${esc(districtLabel(it.district))} ${esc(statuses[it.status] || it.status || '')}
      ${esc(when(it.registered_at || it.updated_at))}</span></li>`).join('')}</ul></section>`;
}
