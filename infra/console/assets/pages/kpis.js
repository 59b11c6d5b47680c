// 指标: every KPI as a table district × month or butler × month
// (GET /kpis/{name}/table), cells coloured against the target, each cell
// drilling down to its records (GET /kpis/{name}?month=&district=); and the
// satisfaction trends as line charts (GET /trends/satisfaction?by=month,…).
import { api, esc, errorBox, problemText, exportButtons, session } from '../app.js';
import { kpiCollection, districtLabel, trendSources, collections } from '../labels.js';

function month(d) { return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`; }

function defaultRange() {
  const now = new Date();
  const from = new Date(now.getFullYear(), now.getMonth() - 5, 1);
  return [month(from), month(now)];
}

function fmt(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return esc(v);
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
}

function pct(v, isRate) { return isRate && typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : fmt(v); }

// grade says how a value stands against the target: good, near or bad.
function grade(v, target, higher) {
  if (typeof v !== 'number' || typeof target !== 'number') return '';
  if (higher) return v >= target ? 'good' : v >= target * 0.9 ? 'near' : 'bad';
  return v <= target ? 'good' : v <= target * 1.5 + 1 ? 'near' : 'bad';
}

export async function render(view, { query }) {
  const [f0, t0] = defaultRange();
  const name = query.get('kpi') || 'complaint-satisfaction';
  const dim = query.get('by') || 'district';
  const from = query.get('from') || f0;
  const to = query.get('to') || t0;
  const tby = query.get('trend') || 'district';
  const source = query.get('source') || '';
  let catalogue = [];
  try {
    catalogue = (await api('/kpis')).kpis || [];
  } catch (err) {
    view.innerHTML = errorBox(err);
    return;
  }
  view.innerHTML = `<h1>指标</h1>
  <form id="kf" class="row">
    <label>指标 <select name="kpi">${catalogue.map((k) => `<option value="${esc(k.name)}"${k.name === name ? ' selected' : ''}>${esc(k.title || k.name)}</option>`).join('')}</select></label>
    <label>按 <select name="by"><option value="district"${dim === 'district' ? ' selected' : ''}>片区 × 月份</option>
      <option value="butler"${dim === 'butler' ? ' selected' : ''}>管家 × 月份</option></select></label>
    <label>从 <input name="from" type="month" value="${esc(from)}"></label>
    <label>到 <input name="to" type="month" value="${esc(to)}"></label>
  </form>
  <section class="card"><div id="table"><p class="muted">正在加载……</p></div><div id="drill"></div></section>
  <section class="card"><h2>满意度趋势（1–5 分）</h2>
    <form id="tf" class="row">
      <label>分组 <select name="trend">${[['district', '按片区'], ['butler', '按管家'], ['category', '按类别']].map(([v, t]) =>
        `<option value="${v}"${v === tby ? ' selected' : ''}>${t}</option>`).join('')}</select></label>
      <label>来源 <select name="source">${Object.entries(trendSources).map(([v, t]) =>
        `<option value="${v}"${v === source ? ' selected' : ''}>${t}</option>`).join('')}</select></label>
      <span id="trend-export"></span>
    </form>
    <div id="chart" class="chart" role="img" aria-label="满意度趋势折线图"></div><div id="trend-msg"></div></section>`;
  const nav = (form) => form.addEventListener('change', () => {
    const p = new URLSearchParams(query);
    for (const [k, v] of new FormData(form)) p.set(k, v);
    location.hash = `#/kpis?${p}`;
  });
  nav(view.querySelector('#kf'));
  nav(view.querySelector('#tf'));
  await Promise.all([table(view, name, dim, from, to, catalogue), trend(view, tby, source, from, to)]);
}

// titleOf is a KPI's Chinese title, from the catalogue (GET /kpis).
function titleOf(catalogue, name) { return (catalogue.find((k) => k.name === name) || {}).title || name; }

async function table(view, name, dim, from, to, catalogue) {
  const box = view.querySelector('#table');
  const path = `/kpis/${encodeURIComponent(name)}/table?by=${dim},month&from=${from}&to=${to}`;
  let t;
  try {
    t = await api(path);
  } catch (err) {
    box.innerHTML = `<h2>${esc(titleOf(catalogue, name))}</h2>${errorBox(err)}`;
    return;
  }
  const rows = t.rows || [];
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const groups = [...new Set(rows.map((r) => r[dim]))].sort();
  const at = new Map(rows.map((r) => [`${r[dim]}|${r.month}`, r]));
  const entry = catalogue.find((k) => k.name === name) || {};
  const isRate = typeof t.target === 'number' ? t.target <= 1 && String(entry.target || '').includes('%') : String(entry.target || '').includes('%');
  const title = t.title || titleOf(catalogue, name);
  box.innerHTML = `<h2>${esc(title)} ${exportButtons(path, title)}</h2>
    <p class="muted">目标：${t.target === null || t.target === undefined ? '无' : esc(pct(t.target, isRate))}
      （${t.higher_is_better === false ? '越低越好' : '越高越好'}）· 点击数字查看对应记录
      <span class="legend"><i class="good"></i>达标 <i class="near"></i>接近 <i class="bad"></i>未达标</span></p>
    ${rows.length ? `<div class="scroll"><table class="kpi" data-kpi="${esc(name)}"><thead><tr><th>${dim === 'butler' ? '管家' : '片区'}</th>
      ${months.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead><tbody>
      ${groups.map((g) => `<tr><th>${esc(dim === 'district' ? districtLabel(g) : g)}</th>${months.map((m) => {
        const r = at.get(`${g}|${m}`);
        if (!r) return '<td class="empty">—</td>';
        return `<td class="${grade(r.value, t.target, t.higher_is_better !== false)}"><a href="#" data-month="${esc(m)}" data-group="${esc(g)}"
          title="${esc(`${r.numerator ?? ''}/${r.denominator ?? ''}`)}">${esc(pct(r.value, isRate))}</a></td>`;
      }).join('')}</tr>`).join('')}</tbody></table></div>` : '<p>这段时间没有数据。</p>'}`;
  box.querySelectorAll('a[data-month]').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    drill(view, name, dim, a.dataset.group, a.dataset.month);
  }));
}

async function drill(view, name, dim, group, m) {
  const box = view.querySelector('#drill');
  const path = `/kpis/${encodeURIComponent(name)}?month=${m}&${dim}=${encodeURIComponent(group)}`;
  box.innerHTML = '<p class="muted">正在加载……</p>';
  try {
    const k = await api(path);
    const col = kpiCollection(name);
    const ids = k.records || [];
    const hit = new Set(k.numerator_records || []);
    box.innerHTML = `<h3>${esc(dim === 'district' ? districtLabel(group) : group)} · ${esc(m)}：${ids.length} 条记录
      <small class="muted">${k.numerator ?? ''}/${k.denominator ?? ''}</small></h3>
      <ul class="drill">${ids.map((id) => `<li>${col ? `<a class="record-link" href="#/record/${col}/${encodeURIComponent(id)}">${esc(collections[col])} ${esc(id)}</a>` : esc(id)}
        ${k.numerator_records ? (hit.has(id) ? '<span class="tag good">计入分子</span>' : '<span class="tag bad">未计入</span>') : ''}</li>`).join('')}</ul>`;
  } catch (err) {
    box.innerHTML = errorBox(err);
  }
}

async function trend(view, by, source, from, to) {
  const msg = view.querySelector('#trend-msg');
  const el = view.querySelector('#chart');
  const p = new URLSearchParams({ by: `month,${by}`, from, to });
  if (source) p.set('source', source);
  const path = `/trends/satisfaction?${p}`;
  view.querySelector('#trend-export').innerHTML = exportButtons(path, '满意度趋势');
  let t;
  try {
    t = await api(path);
  } catch (err) {
    el.remove();
    msg.innerHTML = errorBox(err);
    return;
  }
  const series = t.series || [];
  const months = [...new Set(series.flatMap((s) => (s.points || []).map((pt) => pt.month)))].sort();
  if (!window.echarts) {
    msg.innerHTML = '<div class="error">图表组件未加载。</div>';
    return;
  }
  const label = (g) => {
    const v = g?.[by] ?? Object.values(g || {})[0] ?? '全部';
    return by === 'district' ? districtLabel(v) : v;
  };
  const chart = window.echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', min: 1, max: 5, name: '分' },
    series: series.map((s) => {
      const byMonth = new Map((s.points || []).map((pt) => [pt.month, pt.value]));
      return { name: label(s.group), type: 'line', smooth: false, connectNulls: true, showSymbol: true,
        data: months.map((m) => byMonth.get(m) ?? null) };
    }),
  });
  window.addEventListener('resize', () => chart.resize());
  if (!el.clientWidth) requestAnimationFrame(() => chart.resize());
  el.dataset.drawn = String(series.length);
  if (!series.length) msg.innerHTML = '<p class="muted">这段时间没有评价。</p>';
}
