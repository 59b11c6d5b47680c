// 登录: staff id and password (POST /auth/sign-in); the token it returns is
// kept in session storage, gone when the tab closes. A link from
// `butler token issue --link` (#/signin?token=…) signs in with that token.
import { api, saveSession, esc, problemText, go, home, ApiError } from '../app.js';

function claims(token) {
  const part = token.split('.')[1] || '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const c = JSON.parse(decodeURIComponent(escape(json)));
  return { token, staff_id: c.sub, role: c.role, project: c.project, district: c.district || '',
    expires_at: new Date(c.exp * 1000).toISOString() };
}

export async function render(view, { query }) {
  const linked = query.get('token');
  view.innerHTML = '';
  if (linked) {
    history.replaceState(null, '', '/#/signin');
    try {
      const s = claims(linked);
      saveSession(s);
      await api('/districts'); // the token works here
      go(home(s.role));
      return;
    } catch (err) {
      sessionStorage.clear();
      view.innerHTML = `<div class="error">链接中的令牌无效：${esc(err instanceof ApiError ? problemText(err) : err.message)}</div>`;
    }
  }
  const staff = query.get('staff') || '';
  view.insertAdjacentHTML('beforeend', `
  <section class="card narrow">
    <h1>登录</h1>
    <form id="signin" autocomplete="on">
      <label>工号 <input name="staff_id" required autocomplete="username" value="${esc(staff)}" placeholder="例如 s-001"></label>
      <label>密码 <input name="password" type="password" required autocomplete="current-password"></label>
      <label>项目 <input name="project" required value="${esc(query.get('project') || 'p1')}"></label>
      <button type="submit">登录</button>
      <p class="muted">首次使用请向项目经理或主管索取激活链接，设置密码后再登录。</p>
      <div id="msg"></div>
    </form>
  </section>`);
  const form = view.querySelector('#signin');
  form.onsubmit = async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const msg = form.querySelector('#msg');
    msg.innerHTML = '<p class="muted">正在登录……</p>';
    try {
      const s = await api('/auth/sign-in', { method: 'POST',
        body: { staff_id: f.get('staff_id').trim(), password: f.get('password'), project: f.get('project').trim() } });
      saveSession(s);
      go(home(s.role));
    } catch (err) {
      let text = problemText(err);
      if (err.code === 'sign_in_failed') text = '工号或密码不正确。';
      if (err.code === 'sign_in_throttled') text = '密码错误次数过多，请稍候再试。';
      msg.innerHTML = `<div class="error" role="alert">${esc(text)}</div>`;
    }
  };
}
