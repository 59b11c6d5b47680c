// 工作台: what is overdue or due within 24 h across every module in the
// token's scope (GET /overdue), counts per kind and the items, each linking
// to its record.
import { api, esc, when, errorBox, session, exportButtons } from '../app.js';
import { overdueKinds, districtLabel, districts } from '../labels.js';

export async function render(view, { query }) {
  const s = session();
  const district = query.get('district') || '';
  const kind = query.get('kind') || '';
  const wide = !s.district;
  view.innerHTML = `<h1>工作台 <small class="muted">${esc(districtLabel(s.district || district))}</small></h1>
    ${wide ? `<form class="row" id="f"><label>片区 <select name="district"><option value="">全部</option>
      ${Object.keys(districts).map((d) => `<option value="${d}"${d === district ? ' selected' : ''}>${esc(districtLabel(d))}</option>`).join('')}
      </select></label></form>` : ''}
    <div id="today"><p class="muted">正在加载……</p></div>`;
  view.querySelector('#f')?.addEventListener('change', (e) => {
    location.hash = `#/today?district=${encodeURIComponent(e.target.value)}`;
  });
  const qs = new URLSearchParams({ size: '200' });
  if (district) qs.set('district', district);
  if (kind) qs.set('kind', kind);
  let o;
  try {
    o = await api(`/overdue?${qs}`);
  } catch (err) {
    view.querySelector('#today').innerHTML = errorBox(err);
    return;
  }
  const counts = o.counts || {};
  const cards = Object.keys(overdueKinds).map((k) => {
    const n = counts[k] || 0;
    const q = new URLSearchParams(qs);
    q.delete('size');
    if (kind !== k) q.set('kind', k); else q.delete('kind');
    return `<a class="count${n ? ' due' : ''}${kind === k ? ' on' : ''}" data-kind="${esc(k)}" href="#/today?${q}">
      <b>${n}</b><span>${esc(overdueKinds[k])}</span></a>`;
  }).join('');
  const items = o.items || [];
  view.querySelector('#today').innerHTML = `
    <p class="muted">截至 ${esc(when(o.as_of))}</p>
    <div class="counts">${cards}</div>
    <section class="card"><h2>待办事项 <small class="muted">${items.length} 项，最超期的在前</small></h2>
    ${items.length ? `<table class="items"><thead><tr><th>类型</th><th>事项</th><th>片区</th><th>管家</th><th>到期</th></tr></thead><tbody>
      ${items.map((it) => `<tr class="${it.overdue ? 'late' : 'soon'}">
        <td>${esc(overdueKinds[it.kind] || it.kind)}</td>
        <td><a class="record-link" href="#/record/${esc(it.record)}/${encodeURIComponent(it.id)}">${esc(it.title || it.id)}</a></td>
        <td>${esc(districtLabel(it.district))}</td><td>${esc(it.butler || '')}</td>
        <td>${esc(when(it.due_at))} ${it.overdue ? '<span class="tag late">已超期</span>' : '<span class="tag soon">24 小时内到期</span>'}</td></tr>`).join('')}
      </tbody></table>` : '<p>今天没有超期或即将到期的事项。</p>'}
    </section>`;
}
