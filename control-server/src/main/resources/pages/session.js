// Log-in shared by the control server's pages (alert board, dashboard): a bearer token from POST /login, kept in
// sessionStorage for the browser tab under the page's own key.
window.WareEdgeSession = (function () {
  'use strict';

  /** The session stored under key, or null. */
  function stored(key) {
    try {
      const s = JSON.parse(sessionStorage.getItem(key));
      return s && s.token ? s : null;
    } catch (e) {
      return null;
    }
  }

  /**
   * Logs in and stores the session. Resolves to { session } or to { error, wrongPassword, offline } with a message
   * for the person at the screen.
   */
  async function logIn(key, username, password) {
    let res;
    try {
      res = await fetch('/login', { method: 'POST', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ username, password }) });
    } catch (e) {
      return { error: 'No connection to the control server', offline: true };
    }
    if (res.status === 401 || res.status === 403) {
      return { error: 'Wrong user name or password', wrongPassword: true };
    }
    if (!res.ok) {
      return { error: 'Log-in failed: the server answered ' + res.status };
    }
    const data = await res.json();
    const session = { token: data.access_token, user: data.username || username };
    sessionStorage.setItem(key, JSON.stringify(session));
    return { session };
  }

  function forget(key) {
    sessionStorage.removeItem(key);
  }

  /**
   * Wires the page's log-in form (#username, #password, #login-btn): Enter in the user name moves on, Enter in the
   * password or the button logs in. An empty field takes the focus instead. On success calls onSession(session);
   * on failure onError(text), with the focus back in the password when that was wrong.
   */
  function form(key, onSession, onError) {
    const field = (id) => document.getElementById(id);
    async function submit() {
      const username = field('username').value.trim();
      const password = field('password').value;
      if (!username) { field('username').focus(); return; }
      if (!password) { field('password').focus(); return; }
      const r = await logIn(key, username, password);
      if (!r.offline) field('password').value = '';
      if (r.error) {
        onError(r.error);
        if (r.wrongPassword) field('password').focus();
        return;
      }
      onSession(r.session);
    }
    field('login-btn').addEventListener('click', submit);
    field('username').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); field('password').focus(); } });
    field('password').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } });
  }

  return { stored, logIn, forget, form };
})();
