// 审计: the latest signed checkpoint, a record's proof checked by id, and
// the audit bundle to take away (GET /audit/export).
import { api, esc, when, errorBox, problemText, download } from '../app.js';
import { collections } from '../labels.js';

export async function render(view) {
  view.innerHTML = `<h1>审计</h1>
  <section class="card"><h2>最新检查点</h2><div id="cp"><p class="muted">正在加载……</p></div></section>
  <section class="card"><h2>核验记录</h2>
    <form id="verify" class="row">
      <select name="col">${Object.entries(collections).filter(([c]) => !['units', 'staff'].includes(c))
        .map(([c, t]) => `<option value="${esc(c)}">${esc(t)}</option>`).join('')}</select>
      <input name="id" required placeholder="记录编号" class="wide">
      <button type="submit">核验</button>
    </form><div id="verdict"></div></section>
  <section class="card"><h2>导出审计包</h2>
    <form id="export" class="row">
      <label>从 <input name="from" type="date"></label><label>到 <input name="to" type="date"></label>
      <button type="submit">下载</button></form>
    <p class="muted">审计包含事件、包含证明和签名检查点，可用 <code>butler audit verify</code> 离线核验。</p><div id="exp"></div></section>`;
  try {
    const c = await api('/audit/checkpoint');
    view.querySelector('#cp').innerHTML = `<table class="kv">
      <tr><th>树大小（事件数）</th><td>${esc(c.tree_size ?? c.size ?? '')}</td></tr>
      <tr><th>根哈希</th><td class="mono">${esc(c.root_hash ?? c.root ?? '')}</td></tr>
      <tr><th>签署时间</th><td>${esc(when(c.time))}</td></tr>
      <tr><th>签名</th><td class="mono small">${esc(String(c.signature ?? '').slice(0, 48))}…</td></tr></table>`;
  } catch (err) {
    view.querySelector('#cp').innerHTML = errorBox(err);
  }
  const vf = view.querySelector('#verify');
  vf.onsubmit = async (e) => {
    e.preventDefault();
    const f = new FormData(vf);
    const out = view.querySelector('#verdict');
    try {
      const p = await api(`/${f.get('col')}/${encodeURIComponent(f.get('id').trim())}/proof`);
      out.innerHTML = `<p class="ok">✔ ${p.events?.length ?? 0} 个事件均在检查点（树大小 ${esc(p.checkpoint?.tree_size ?? '')}）中有包含证明。
        ${p.pending?.length ? `另有 ${p.pending.length} 个新事件待下一个检查点覆盖。` : ''}</p>`;
    } catch (err) {
      out.innerHTML = errorBox(err);
    }
  };
  const ef = view.querySelector('#export');
  ef.onsubmit = async (e) => {
    e.preventDefault();
    const f = new FormData(ef);
    const p = new URLSearchParams();
    if (f.get('from')) p.set('from', f.get('from'));
    if (f.get('to')) p.set('to', f.get('to'));
    try {
      await download(`/audit/export?${p}`, 'audit-bundle');
    } catch (err) {
      view.querySelector('#exp').innerHTML = `<div class="error">${esc(problemText(err))}</div>`;
    }
  };
}
