// 激活: the staff member opens the link /activate#<code> and sets a password
// (POST /auth/activate); then signs in with it.
import { api, esc, problemText, go } from '../app.js';

export async function render(view) {
  const code = sessionStorage.getItem('butler.activation') || '';
  view.innerHTML = `
  <section class="card narrow">
    <h1>激活账号</h1>
    ${code ? '' : '<div class="error">链接不完整：请打开项目经理或主管发给您的完整激活链接。</div>'}
    <form id="activate">
      <label>新密码（至少 8 位） <input name="password" type="password" minlength="8" required autocomplete="new-password"></label>
      <label>再次输入 <input name="again" type="password" minlength="8" required autocomplete="new-password"></label>
      <button type="submit"${code ? '' : ' disabled'}>设置密码</button>
      <div id="msg"></div>
    </form>
  </section>`;
  const form = view.querySelector('#activate');
  form.onsubmit = async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const msg = form.querySelector('#msg');
    if (f.get('password') !== f.get('again')) {
      msg.innerHTML = '<div class="error">两次输入的密码不一致。</div>';
      return;
    }
    try {
      const a = await api('/auth/activate', { method: 'POST', body: { code, password: f.get('password') } });
      sessionStorage.removeItem('butler.activation');
      go(`#/signin?staff=${encodeURIComponent(a.staff_id)}&project=${encodeURIComponent(a.project)}`);
    } catch (err) {
      let text = problemText(err);
      if (err.code === 'activation_code_invalid') text = '激活链接无效或已使用，请索取新的链接。';
      if (err.code === 'activation_code_expired') text = '激活链接已过期，请索取新的链接。';
      if (err.code === 'invalid_input') text = '密码需 8 到 128 个字符，且不能与工号相同。';
      msg.innerHTML = `<div class="error" role="alert">${esc(text)}</div>`;
    }
  };
}
