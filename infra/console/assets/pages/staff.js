// 账号激活: a project manager or supervisor creates a one-time activation
// link for a registered staff member (POST /staff/{id}/activation).
import { api, esc, problemText, roleLabel, when } from '../app.js';
import { districtLabel } from '../labels.js';

export async function render(view) {
  view.innerHTML = `<h1>账号激活</h1>
  <section class="card">
    <form id="issue" class="row">
      <label>工号 <input name="staff" required placeholder="例如 b-001"></label>
      <button type="submit">生成激活链接</button>
    </form>
    <div id="out"></div>
  </section>
  <section class="card"><h2>员工名册</h2><div id="list"><p class="muted">正在加载……</p></div></section>`;
  const form = view.querySelector('#issue');
  form.onsubmit = async (e) => {
    e.preventDefault();
    const id = new FormData(form).get('staff').trim();
    const out = view.querySelector('#out');
    try {
      const a = await api(`/staff/${encodeURIComponent(id)}/activation`, { method: 'POST' });
      const url = location.origin + a.activation_url;
      out.innerHTML = `<p>请把下面的链接交给 ${esc(id)} 本人（${esc(when(a.expires_at))} 前有效，只能使用一次）：</p>
        <p><input class="wide" readonly id="activation-url" value="${esc(url)}"></p>`;
    } catch (err) {
      out.innerHTML = `<div class="error">${esc(problemText(err))}</div>`;
    }
  };
  try {
    const l = await api('/staff?size=200&sort=registered_at');
    view.querySelector('#list').innerHTML = `<table><thead><tr><th>工号</th><th>姓名</th><th>岗位</th><th>片区</th><th>已上岗</th></tr></thead><tbody>
      ${l.items.map((s) => `<tr><td>${esc(s.staff_id || s.id)}</td><td>${esc(s.name || '')}</td><td>${esc(roleLabel(s.role))}</td><td>${esc(s.district ? districtLabel(s.district) : '')}</td><td>${s.onboarded ? '是' : '否'}</td></tr>`).join('')}
    </tbody></table>`;
  } catch (err) {
    view.querySelector('#list').innerHTML = `<div class="error">${esc(problemText(err))}</div>`;
  }
}
