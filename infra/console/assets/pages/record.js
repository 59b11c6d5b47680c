// 记录: a record's current state, its timeline in Chinese (who, when, what
// changed) from /<records>/{id}/history, a time control that shows it as of
// any event (?as_of=), and its proof status (/<records>/{id}/proof).
import { api, esc, when, errorBox, problemText, roleLabel, can, exportButtons } from '../app.js';
import { collections, eventLabel, fields, codedValue } from '../labels.js';

function value(k, v) {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string' && k) return /^\d{4}-\d\d-\d\dT/.test(v) ? esc(when(v)) : esc(codedValue(k, v));
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return esc(when(v));
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object')) return esc(v.join('，'));
    return `<ul class="sub">${v.map((x) => `<li>${value('', x)}</li>`).join('')}</ul>`;
  }
  if (typeof v === 'object') {
    return Object.entries(v).filter(([, x]) => x !== '' && x !== null && x !== undefined)
      .map(([kk, x]) => `${esc(fields[kk] || kk)}：${value(kk, x)}`).join('；');
  }
  return esc(v);
}

function stateTable(doc) {
  const skip = new Set(['project', 'revision', 'notes']);
  if (doc.phone) skip.add('phones');
  const first = ['status', 'unit', 'category', 'description', 'owner', 'phone', 'district', 'butler', 'assignee', 'registered_at'];
  const rank = (k) => (first.includes(k) ? first.indexOf(k) : first.length);
  const entries = Object.entries(doc).sort(([a], [b]) => rank(a) - rank(b));
  return `<table class="kv">${entries.filter(([k, v]) => !skip.has(k) && v !== '' && v !== null)
    .map(([k, v]) => `<tr><th>${esc(fields[k] || k)}</th><td>${value(k, v)}</td></tr>`).join('')}</table>`;
}

function changes(data) {
  const skip = new Set(['at', 'project', 'district', 'complaint_id', 'work_order_id', 'id']);
  return Object.entries(data || {}).filter(([k, v]) => !skip.has(k) && v !== '' && v !== null)
    .map(([k, v]) => `<span class="change"><b>${esc(fields[k] || k)}</b>：${value(k, v)}</span>`).join(' ');
}

export async function render(view, { args, query }) {
  const id = args[args.length - 1];
  const col = args.slice(0, -1).join('/');
  if (!col || !id) {
    view.innerHTML = '<p>请从检索或工作台打开一条记录。</p>';
    return;
  }
  const base = `/${col}/${encodeURIComponent(id)}`;
  view.innerHTML = `<h1>${esc(collections[col] || col)} <small class="muted mono">${esc(id)}</small></h1>
    <div class="cols">
      <section class="card"><h2>当前状态 <small id="asof-label" class="muted"></small></h2><div id="state"><p class="muted">正在加载……</p></div></section>
      <section class="card"><h2>时间线 ${exportButtons(`${base}/history`, `${collections[col] || col}-${id}-历史`)}</h2>
        <div id="timeline"><p class="muted">正在加载……</p></div></section>
    </div>
    <section class="card" id="proof-card"><h2>防篡改证明</h2><div id="proof"></div></section>`;
  let history;
  try {
    history = (await api(`${base}/history`)).events || [];
  } catch (err) {
    view.querySelector('#timeline').innerHTML = errorBox(err);
    history = [];
  }
  const tl = view.querySelector('#timeline');
  if (history.length) {
    const asOf = query.get('as_of');
    let at = history.length - 1;
    if (asOf) at = Math.max(0, history.findIndex((e) => e.recorded_at === asOf));
    tl.innerHTML = `
      <div class="asof"><label for="asof">查看某一时刻的状态：</label>
        <input id="asof" type="range" min="0" max="${history.length - 1}" value="${at}" step="1">
        <output id="asof-out"></output></div>
      <ol class="timeline">${history.map((e, i) => `<li data-i="${i}">
        <time>${esc(when(e.occurred_at))}</time>
        <b>${esc(eventLabel(e.type))}</b>
        <span class="actor">${esc(e.actor?.staff_id || '')} ${esc(roleLabel(e.actor?.role))}</span>
        <div class="changes">${changes(e.data)}</div></li>`).join('')}</ol>`;
    const slider = tl.querySelector('#asof');
    const show = async (i) => {
      const e = history[i];
      const latest = i === history.length - 1;
      tl.querySelectorAll('li').forEach((li) => li.classList.toggle('future', Number(li.dataset.i) > i));
      tl.querySelector('#asof-out').textContent = latest ? '现在' : when(e.recorded_at);
      view.querySelector('#asof-label').textContent = latest ? '（现在）' : `（截至 ${when(e.recorded_at)}）`;
      await loadState(view, base, latest ? '' : e.recorded_at);
    };
    slider.addEventListener('input', () => {
      const i = Number(slider.value);
      tl.querySelector('#asof-out').textContent = i === history.length - 1 ? '现在' : when(history[i].recorded_at);
    });
    slider.addEventListener('change', () => show(Number(slider.value)));
    await show(at);
  } else if (!tl.querySelector('.error')) {
    tl.innerHTML = '<p class="muted">没有事件。</p>';
    await loadState(view, base, '');
  } else {
    await loadState(view, base, '');
  }
  const proof = view.querySelector('#proof');
  if (!can('auditor', 'quality', 'project_manager')) {
    view.querySelector('#proof-card').remove();
    return;
  }
  try {
    const p = await api(`${base}/proof`);
    const n = (p.events || p.proofs || []).length;
    proof.innerHTML = `<p class="ok">✔ 已由签名检查点覆盖：树大小 ${esc(p.checkpoint?.tree_size ?? p.tree_size ?? '')}${n ? `，${n} 个事件的包含证明` : ''}。${p.pending?.length ? `另有 ${p.pending.length} 个新事件待下一个检查点覆盖。` : ''}</p>
      <p class="muted">可用 <code>butler audit verify</code> 离线核验（审计页可导出）。</p>`;
  } catch (err) {
    proof.innerHTML = `<div class="${err.status === 409 ? 'muted' : 'error'}">${esc(problemText(err))}</div>`;
  }
}

async function loadState(view, base, asOf) {
  const box = view.querySelector('#state');
  try {
    const doc = await api(asOf ? `${base}?as_of=${encodeURIComponent(asOf)}` : base);
    box.innerHTML = stateTable(doc);
    box.dataset.asOf = asOf;
  } catch (err) {
    box.innerHTML = errorBox(err);
  }
}
