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

  return { stored, logIn, forget };
})();
