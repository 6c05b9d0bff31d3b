// Controls for admin keys: start, pause, advance, set stage, roll back with a reason, promote. Each asks for confirmation
// in a modal dialog, then shows the audit entry the change made. The server enforces scopes; for a read key the page only
// hides the controls.
import { api, experimentPath } from './api.js';
import { $, el } from './dom.js';
import { timestamp } from './format.js';

let current = null;
let recommended = null;
let onChange = async () => {};

export function setUpControls(refresh) {
  onChange = refresh;
  document.querySelectorAll('#controls-admin [data-command]').forEach(button =>
    button.addEventListener('click', () => run(button.dataset.command, {},
      button.dataset.command === 'advance' ? advanceQuestion(current) : `${button.textContent.trim()} for '${current.key}'?`)));
  $('rollback-form').addEventListener('submit', event => {
    event.preventDefault();
    const variant = $('rollback-variant').value;
    const reason = $('rollback-reason').value.trim();
    if (!reason) { $('rollback-reason').focus(); return; }
    run('rollback', { variant, reason }, `Roll back '${variant}' of '${current.key}'? Its traffic goes to the control, now and in every later stage. Reason: ${reason}`)
      .then(ok => { if (ok) $('rollback-reason').value = ''; });
  });
  $('promote-form').addEventListener('submit', event => {
    event.preventDefault();
    const variant = $('promote-variant').value;
    run('promote', { variant }, `Promote '${variant}' of '${current.key}'? It takes 100% of traffic and the experiment is completed.`);
  });
  $('stage-form').addEventListener('submit', event => {
    event.preventDefault();
    const weights = {};
    for (const input of $('stage-weights').querySelectorAll('input')) weights[input.name] = Number(input.value);
    const text = Object.entries(weights).map(([v, w]) => `${v} ${w}%`).join(', ');
    run('stage', { weights }, `Serve ${text} for '${current.key}'?`, 'PUT');
  });
}

// The next stage's weights as the server will serve them: a rolled-back variant's planned share goes to the control.
export function nextWeights(experiment) {
  const planned = experiment.definition.stages[experiment.stage + 1]?.weights;
  if (!planned) return null;
  const weights = { ...planned };
  for (const variant of Object.keys(experiment.rolled_back ?? {})) {
    weights[experiment.control] += weights[variant] ?? 0;
    weights[variant] = 0;
  }
  return weights;
}

function advanceQuestion(experiment) {
  const weights = nextWeights(experiment);
  const text = weights ? Object.entries(weights).map(([v, w]) => `${v} ${Number(w.toFixed(2))}%`).join(', ') : 'no further stage';
  return `Advance '${experiment.key}' to stage ${experiment.stage + 2} of ${experiment.stages}? It will serve ${text}.`;
}

export function renderControls(experiment, scope, recommendation) {
  const admin = scope === 'admin';
  $('controls-admin').hidden = !admin;
  $('controls-readonly').hidden = admin;
  if (!admin) return;
  const changed = current?.key !== experiment.key || current?.version !== experiment.version;
  current = experiment;
  const wanted = recommendation?.action === 'promote' && !recommendation.outcome ? recommendation.variant : null;
  if (!changed) {
    // A new recommendation moves the picker once; a choice made since is left alone until the recommendation changes again.
    if (wanted !== recommended) selectRecommended($('promote-variant'), wanted);
    return;
  }
  const active = experiment.state === 'running' || experiment.state === 'paused';
  const set = (command, enabled) => { document.querySelector(`#controls-admin [data-command="${command}"]`).disabled = !enabled; };
  set('start', experiment.state === 'draft' || experiment.state === 'paused');
  set('pause', experiment.state === 'running');
  set('advance', active && experiment.stage + 1 < experiment.stages);
  const variants = Object.keys(experiment.weights);
  const control = experiment.control;
  const rolledBack = new Set(Object.keys(experiment.rolled_back));
  fill($('rollback-variant'), variants.filter(v => v !== control && !rolledBack.has(v)));
  fill($('promote-variant'), variants.filter(v => !rolledBack.has(v)));
  recommended = undefined;
  selectRecommended($('promote-variant'), wanted, variants.find(v => v !== control && !rolledBack.has(v)));
  $('stage-weights').replaceChildren(...variants.map(v => {
    const id = `weight-${v}`;
    return el('span', {}, el('label', { text: v, attrs: { for: id } }), ' ',
      el('input', { attrs: { id, name: v, type: 'number', min: '0', max: '100', step: '0.01', value: String(experiment.weights[v]), ...(rolledBack.has(v) ? { disabled: '' } : {}) } }));
  }));
  for (const form of ['rollback-form', 'promote-form', 'stage-form']) {
    $(form).querySelectorAll('button, select, input').forEach(c => { c.disabled = !active || (c.id.startsWith('weight-') && rolledBack.has(c.name)); });
  }
  $('rollback-form').querySelector('button').disabled = !active || $('rollback-variant').options.length === 0;
}

// The promote picker defaults to the recommended variant, else to the first variant besides the control.
function selectRecommended(select, variant, fallback) {
  recommended = variant;
  const options = [...select.options].map(o => o.value);
  if (variant && options.includes(variant)) select.value = variant;
  else if (fallback && options.includes(fallback)) select.value = fallback;
}

function fill(select, values) {
  const selected = select.value;
  select.replaceChildren(...values.map(v => el('option', { text: v, attrs: { value: v } })));
  if (values.includes(selected)) select.value = selected;
}

function confirmDialog(text) {
  const dialog = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

async function run(command, body, question, method = 'POST') {
  const status = $('command-status');
  if (!current || !(await confirmDialog(question))) return false;
  const path = experimentPath(current.key);
  try {
    await api(`${path}/${command}`, { method, body });
    const audit = await api(`${path}/audit`);
    const entry = audit.at(-1);
    status.className = 'status';
    status.textContent = `Done. Audit entry: ${timestamp(entry.ts)} · ${entry.action}${entry.variant ? ` ${entry.variant}` : ''} by ${entry.who}: ${entry.reason}`;
    await onChange();
    return true;
  } catch (error) {
    status.className = 'status error';
    status.textContent = `Not done: ${error.message}`;
    return false;
  }
}
