// The experiments list: state, stage, traffic split, health badges (SRM, guardrails, rolled-back variants), last change.
import { api, experimentPath } from './api.js';
import { $, el } from './dom.js';
import { timestamp, weight } from './format.js';

export async function loadList() {
  const experiments = await api('/api/experiments');
  const rows = await Promise.all(experiments.map(async e => {
    const [results, audit] = await Promise.all([
      api(`${experimentPath(e.key)}/results`).catch(error => ({ error })),
      api(`${experimentPath(e.key)}/audit`).catch(() => []),
    ]);
    return row(e, results, audit.at(-1));
  }));
  $('experiments').tBodies[0].replaceChildren(...rows);
  $('list-empty').hidden = experiments.length > 0;
}

export function stageText(e) {
  if (e.state === 'completed' && e.winner) return `winner: ${e.winner}`;
  return `${Math.min(e.stage + 1, e.stages)} of ${e.stages}${e.allocation?.kind === 'custom' ? ' (custom weights)' : ''}`;
}

export const splitText = e => Object.entries(e.weights).map(([v, w]) => `${v} ${weight(w)}`).join(' · ');

export function badges(e, results) {
  const list = [];
  if (results?.error) list.push(['warn', 'results unavailable']);
  else if (results) {
    if (results.srm.mismatch) list.push(['bad', 'SRM: mismatch']);
    else if (results.srm.p_value == null) list.push(['info', 'SRM: not checked']);
    else list.push(['ok', 'SRM: ok']);
    const r = results.recommendation;
    if (r.action === 'rollback') list.push(['bad', `guardrail breached: ${r.variant}`]);
    else list.push(['ok', 'guardrails: ok']);
    if (r.action === 'promote' && !r.outcome) list.push(['ok', `ready to promote: ${r.variant}`]);
  }
  for (const variant of Object.keys(e.rolled_back)) list.push(['warn', `rolled back: ${variant}`]);
  return list.map(([cls, text]) => el('span', { cls: `badge ${cls}`, text }));
}

function row(e, results, last) {
  const link = el('a', { text: e.name || e.key, attrs: { href: `#/experiments/${encodeURIComponent(e.key)}` } });
  const name = el('td', {}, link, el('div', { cls: 'note', text: e.key }));
  const change = last ? `${timestamp(last.ts)} · ${last.action}${last.variant ? ` ${last.variant}` : ''} by ${last.who}` : '';
  return el('tr', { attrs: { 'data-key': e.key } },
    name,
    el('td', { cls: `state-${e.state}`, text: e.state }),
    el('td', { text: stageText(e) }),
    el('td', { text: splitText(e) }),
    el('td', {}, ...badges(e, results)),
    el('td', { text: change }));
}
