// The console's shell: the session, the API client, the route table and
// the helpers every page shares. A page is a module in pages/ exporting
// render(view, ctx); adding one is a file there and a line in routes.
import { roles, districtLabel } from './labels.js';

// The route table: path (after #/), menu title, module, the roles that see
// it (null: every signed-in role). The server enforces access anyway.
const routes = [
  { path: 'today', title: '工作台', module: './pages/today.js' },
  { path: 'search', title: '检索', module: './pages/search.js' },
  { path: 'record', title: '记录', module: './pages/record.js', hidden: true },
  { path: 'kpis', title: '指标', module: './pages/kpis.js',
    roles: ['supervisor', 'project_manager', 'analyst', 'quality', 'operations', 'auditor', 'butler'] },
  { path: 'audit', title: '审计', module: './pages/audit.js', roles: ['auditor', 'quality', 'project_manager'] },
  { path: 'access-log', title: '访问记录', module: './pages/access.js', roles: ['auditor', 'project_manager'] },
  { path: 'staff', title: '账号激活', module: './pages/staff.js', roles: ['project_manager', 'supervisor'] },
  { path: 'signin', title: '登录', module: './pages/signin.js', public: true, hidden: true },
  { path: 'activate', title: '激活', module: './pages/activate.js', public: true, hidden: true },
];

const key = 'butler.session';

export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(key) || 'null');
    if (s && s.expires_at && new Date(s.expires_at) <= new Date()) {
      sessionStorage.removeItem(key);
      return null;
    }
    return s;
  } catch { return null; }
}

export function saveSession(s) { sessionStorage.setItem(key, JSON.stringify(s)); }

export function clearSession() { sessionStorage.removeItem(key); }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || '';
    this.fields = problem.fields || null;
  }
}

// api calls /api/v1 with the session's token and answers the JSON, or
// throws an ApiError carrying the problem's code.
export async function api(path, { method = 'GET', body, raw = false, accept } = {}) {
  const s = session();
  const headers = {};
  if (s) headers.Authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (accept) headers.Accept = accept;
  let res;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { detail: String(e), code: 'network' });
  }
  if (!res.ok) {
    let problem = {};
    try { problem = await res.json(); } catch { /* not JSON */ }
    if (res.status === 401 && s && problem.code === 'invalid_token') {
      clearSession();
      location.hash = '#/signin';
    }
    throw new ApiError(res.status, problem);
  }
  if (raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

// problemText says in Chinese what went wrong.
export function problemText(err) {
  const s = err.status;
  if (s === 0) return '无法连接服务器，请检查网络后重试。';
  if (s === 404 && err.code === 'route_not_found') return '服务器尚未提供此功能的接口（404）：请升级 Butler 后再试。';
  if (s === 404 && err.code === 'unknown_kpi') return '没有这个指标，或服务器尚未提供此指标接口（404）：请升级 Butler 后再试。';
  if (s === 404) return '没有找到该记录，或它不在您的权限范围内。';
  if (s === 401) return '登录已失效，请重新登录。';
  if (s === 403) return '您的岗位无权查看或操作此内容。';
  if (s === 409 && err.code === 'not_yet_checkpointed') return '尚未签署覆盖该记录的检查点，请一分钟后再试。';
  if (s === 429) return '请求过于频繁，请稍候再试。';
  if (s === 400 && err.code === 'dimension_not_supported') return '该指标不按管家统计。';
  if (s === 400 && err.fields && (err.fields.format || err.fields.by || err.fields.source)) {
    return '服务器尚不支持这种查询或导出（需要较新版本的 Butler）。';
  }
  if (s === 400) return `请求参数有误：${err.message}`;
  if (s === 503) return '服务器正忙或数据正在追赶，请稍后再试。';
  return `出错了（${s}${err.code ? ' ' + err.code : ''}）：${err.message}`;
}

export function errorBox(err) {
  return `<div class="error" role="alert">${esc(problemText(err))}</div>`;
}

const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// esc escapes text for HTML: every value from the API goes through it.
export function esc(v) { return String(v ?? '').replace(/[&<>"']/g, (c) => escapes[c]); }

// highlight escapes text and marks the characters of the query's words.
export function highlight(text, q) {
  const t = String(text ?? '');
  const words = String(q || '').split(/\s+/).filter(Boolean);
  if (!words.length) return esc(t);
  const chars = new Set(words.join(''));
  let out = '', run = '';
  for (const ch of t) {
    if (chars.has(ch)) { run += ch; continue; }
    if (run) { out += `<mark>${esc(run)}</mark>`; run = ''; }
    out += esc(ch);
  }
  if (run) out += `<mark>${esc(run)}</mark>`;
  return out;
}

// when formats a time in the project's time zone, minutes precision.
export function when(t) {
  if (!t) return '';
  const d = new Date(t);
  if (isNaN(d)) return esc(t);
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function roleLabel(r) { return roles[r] || r; }

export function can(...allowed) {
  const s = session();
  return !!s && allowed.includes(s.role);
}

// download fetches an export with the token and saves it under name.
export async function download(path, name) {
  const res = await api(path, { raw: true });
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = m ? decodeURIComponent(m[1]) : name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// exportButtons are the CSV and XLSX buttons of a read; path has no format.
export function exportButtons(path, name) {
  const sep = path.includes('?') ? '&' : '?';
  return `<span class="exports">导出：
    <button type="button" class="link" data-export="${esc(path + sep + 'format=xlsx')}" data-name="${esc(name)}.xlsx">Excel</button>
    <button type="button" class="link" data-export="${esc(path + sep + 'format=csv')}" data-name="${esc(name)}.csv">CSV</button></span>`;
}

document.addEventListener('click', async (e) => {
  const b = e.target.closest('[data-export]');
  if (!b) return;
  e.preventDefault();
  const box = b.closest('.exports');
  try {
    await download(b.dataset.export, b.dataset.name);
    box?.querySelector('.error')?.remove();
  } catch (err) {
    box?.insertAdjacentHTML('beforeend', `<span class="error">${esc(problemText(err))}</span>`);
  }
});

// parseHash splits #/path/a/b?x=1 into its route, the rest and the query.
export function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const [p, qs] = h.split('?');
  const parts = p.split('/').filter(Boolean).map(decodeURIComponent);
  return { path: parts[0] || '', args: parts.slice(1), query: new URLSearchParams(qs || '') };
}

export function go(hash) { location.hash = hash; }

// home is where a role starts: analysts at the KPIs, auditors at the audit,
// everyone else at 工作台.
export function home(role) {
  return { analyst: '#/kpis', auditor: '#/audit' }[role] || '#/today';
}

function renderNav(s) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!s) { nav.innerHTML = ''; who.innerHTML = ''; return; }
  const current = parseHash().path;
  nav.innerHTML = routes.filter((r) => !r.hidden && !r.public && (!r.roles || r.roles.includes(s.role)))
    .map((r) => `<a href="#/${r.path}"${r.path === current ? ' aria-current="page"' : ''}>${esc(r.title)}</a>`).join('');
  who.innerHTML = `<span>${esc(s.staff_id)} · ${esc(roleLabel(s.role))} · ${esc(districtLabel(s.district))}</span>
    <button type="button" id="sign-out" class="link">退出</button>`;
  document.getElementById('sign-out').onclick = async () => {
    try { await api('/auth/sign-out', { method: 'POST' }); } catch { /* the token may be gone already */ }
    clearSession();
    go('#/signin');
  };
}

async function route() {
  const view = document.getElementById('view');
  if (location.pathname === '/activate' && !location.hash.startsWith('#/')) {
    // /activate#<code>: the link a project manager hands out.
    const code = location.hash.slice(1);
    history.replaceState(null, '', '/#/activate');
    sessionStorage.setItem('butler.activation', code);
  }
  let { path } = parseHash();
  const s = session();
  let r = routes.find((x) => x.path === path);
  if (!r || (!r.public && !s)) {
    const target = s ? home(s.role) : '#/signin';
    if (`#/${path}` !== target) { go(target); return; }
    r = routes.find((x) => `#/${x.path}` === target);
  }
  if (r.roles && !r.roles.includes(s.role)) {
    view.innerHTML = `<div class="error">您的岗位（${esc(roleLabel(s.role))}）无权查看“${esc(r.title)}”。</div>`;
    renderNav(s);
    return;
  }
  renderNav(s);
  document.title = `${r.title} · 管家`;
  view.dataset.page = '';
  view.innerHTML = '<p class="muted">正在加载……</p>';
  try {
    const page = await import(r.module);
    await page.render(view, parseHash());
  } catch (err) {
    view.innerHTML = err instanceof ApiError ? errorBox(err) : `<div class="error">页面出错：${esc(err.message)}</div>`;
  }
  view.dataset.page = r.path;
}

window.addEventListener('hashchange', route);
route();
