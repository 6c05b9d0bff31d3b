// The dashboard's entry point: sign-in, hash routes (#/ and #/experiments/KEY), and a refresh every 3 seconds.
import { api, ApiError, session } from './api.js';
import { renderControls, setUpControls } from './controls.js';
import { $, show } from './dom.js';
import { leaveExperiment, loadExperiment } from './experiment.js';
import { loadList } from './list.js';

const REFRESH_MS = 3000;
let me = null;
let busy = false;

function route() {
  const match = /^#\/experiments\/([^/]+)$/.exec(location.hash);
  return match ? { view: 'experiment', key: decodeURIComponent(match[1]) } : { view: 'list' };
}

async function refresh() {
  if (!me || busy) return;
  busy = true;
  try {
    const r = route();
    if (r.view === 'experiment') {
      const { experiment, recommendation } = await loadExperiment(r.key);
      renderControls(experiment, me.scope, recommendation);
    } else {
      await loadList();
    }
    show(r.view);
    $('error').textContent = '';
    $('updated').textContent = `Updated ${new Date().toISOString().slice(11, 19)} UTC; refreshes every ${REFRESH_MS / 1000} s.`;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) { signOut('The key is no longer valid; sign in again.'); return; }
    $('error').textContent = error.message;
  } finally {
    busy = false;
  }
}

function signOut(message = '') {
  session.signOut();
  me = null;
  leaveExperiment();
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-error').textContent = message;
  $('updated').textContent = '';
  show('sign-in');
  $('key').focus();
}

async function signIn() {
  try {
    const who = await api('/api/me');
    if (who.scope === 'ingest') {
      signOut(`Key '${who.name}' has scope ingest; the dashboard needs a read or admin key.`);
      return;
    }
    me = who;
    $('who').textContent = `Signed in as ${who.name} (${who.scope})`;
    $('who').hidden = false;
    $('sign-out').hidden = false;
    await refresh();
  } catch (error) {
    signOut(error instanceof ApiError && error.status === 401 ? 'That key is not valid.' : error.message);
  }
}

$('sign-in-form').addEventListener('submit', event => {
  event.preventDefault();
  const key = $('key').value.trim();
  $('key').value = '';
  if (!key) return;
  session.signIn(key);
  signIn();
});
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => { leaveExperiment(); refresh(); $('main').focus(); });
setUpControls(refresh);
setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);

if (session.key) signIn(); else signOut();
