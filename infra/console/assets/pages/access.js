// 访问记录: who read which owners' unmasked data, when, through which
// endpoint (GET /access-log).
import { api, esc, when, errorBox, roleLabel } from '../app.js';

export async function render(view, { query }) {
  const p = new URLSearchParams();
  for (const k of ['household', 'staff', 'from', 'to']) if (query.get(k)) p.set(k, query.get(k));
  view.innerHTML = `<h1>访问记录 <small class="muted">查看业主未打码个人信息的记录</small></h1>
  <form id="af" class="row">
    <label>房号 <input name="household" value="${esc(query.get('household') || '')}" placeholder="12-1-1802"></label>
    <label>工号 <input name="staff" value="${esc(query.get('staff') || '')}"></label>
    <label>从 <input name="from" type="date" value="${esc(query.get('from') || '')}"></label>
    <label>到 <input name="to" type="date" value="${esc(query.get('to') || '')}"></label>
    <button type="submit">查询</button></form><div id="log"><p class="muted">正在加载……</p></div>`;
  const form = view.querySelector('#af');
  form.onsubmit = (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    location.hash = `#/access-log?${q}`;
  };
  p.set('size', '100');
  try {
    const l = await api(`/access-log?${p}`);
    view.querySelector('#log').innerHTML = `<p class="muted">共 ${l.total} 条</p><table class="log"><thead><tr><th>时间</th><th>工号</th><th>岗位</th><th>接口</th><th>房号</th></tr></thead><tbody>
      ${l.items.map((r) => `<tr><td>${esc(when(r.at))}</td><td>${esc(r.staff)}</td><td>${esc(roleLabel(r.role))}</td>
        <td class="mono">${esc(r.route)}</td><td>${esc((r.units || []).join('，'))}</td></tr>`).join('')}</tbody></table>`;
  } catch (err) {
    view.querySelector('#log').innerHTML = errorBox(err);
  }
}
