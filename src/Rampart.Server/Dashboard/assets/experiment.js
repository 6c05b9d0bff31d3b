// The experiment page: summary, results table (as `rampart results`), recommendation, charts and audit trail.
import { api, experimentPath } from './api.js';
import { Charts } from './charts.js';
import { $, el } from './dom.js';
import * as f from './format.js';
import { badges, splitText, stageText } from './list.js';
import { loadSegments } from './segments.js';
import { renderShadow } from './shadow.js';

const charts = new Charts();
let shown = null;

export function leaveExperiment() { charts.destroy(); shown = null; }

export async function loadExperiment(key) {
  const path = experimentPath(key);
  const [experiment, results, audit, timeline, latency] = await Promise.all([
    api(path),
    api(`${path}/results`).catch(error => ({ error })),
    api(`${path}/audit`),
    api(`${path}/timeline`).catch(() => null),
    api(`${path}/latency`).catch(() => null),
  ]);
  const judges = experiment.definition.judges ?? [];
  const judgeTimelines = await Promise.all(judges.map(j =>
    api(`${path}/timeline?score=${encodeURIComponent(`judge_${j.name}`)}`).catch(() => null)));
  if (shown !== key) { charts.destroy(); shown = key; }
  renderSummary(experiment, results.error ? null : results);
  renderResults(experiment, results);
  renderJudges(experiment, results.error ? null : results);
  renderShadow(results.error ? null : results);
  await loadSegments(key, path, experiment.definition);
  renderAudit(audit);
  charts.update(results.error ? null : results, timeline, latency, judgeTimelines);
  return { experiment, recommendation: results.error ? null : results.recommendation };
}

function renderSummary(e, results) {
  $('experiment-title').textContent = `${e.name || e.key}`;
  const summary = $('experiment-summary');
  summary.replaceChildren(
    el('span', { text: `${e.key} · ` }),
    el('span', { cls: `state-${e.state}`, text: e.state, attrs: { 'data-field': 'state' } }),
    el('span', { text: ` · stage ${stageText(e)} · ${splitText(e)} · ` }),
    ...badges(e, results));
}

function renderResults(e, results) {
  const body = $('results').tBodies[0];
  const definition = e.definition;
  const score = definition.primary_score;
  const alpha = definition.promotion?.alpha ?? 0.05;
  $('score-heading').textContent = score;
  if (results.error) {
    body.replaceChildren();
    $('results-note').textContent = `Results unavailable: ${results.error.message}`;
    $('srm').textContent = '';
    $('srm-stages').replaceChildren();
    $('recommendation').replaceChildren();
    return;
  }
  const total = results.variants.reduce((s, v) => s + v.units, 0);
  body.replaceChildren(...results.variants.map(v => {
    const vs = v.vs_control;
    const cell = (c, field) => el('td', { text: c.text, cls: c.cls, attrs: { 'data-field': field } });
    const name = el('th', { text: v.name, attrs: { scope: 'row' } });
    if (!vs) name.append(el('span', { cls: 'note', text: ' (control)' }));
    return el('tr', { attrs: { 'data-variant': v.name } },
      name,
      cell({ text: f.traffic(v, results.srm, total), cls: '' }, 'traffic'),
      cell(f.compared(f.score(v.scores[score]), vs?.[score], alpha, true), 'score'),
      cell(f.compared(f.latency(v.latency_ms), vs?.latency_ms, alpha, false), 'latency'),
      cell(f.compared(f.cost(v.cost_usd), vs?.cost_usd, alpha, false), 'cost'),
      cell(f.compared(f.errorRate(v.error_rate), vs?.error_rate, alpha, false), 'error_rate'),
      cell({ text: vs ? f.pValue(vs[score]?.p_value_clustered_holm, alpha) : '', cls: '' }, 'p_value'),
      cell({ text: vs ? f.pValue(vs[score]?.p_value_sequential_holm, alpha) : '', cls: '' }, 'p_value_sequential'));
  }));
  $('results-note').textContent = `⬆/⬇ against the control, ✓ significant (p_value_clustered_holm < ${alpha}); n: feedback count; ` +
    `p-value: ${score}, per-unit delta method, Holm-adjusted across variants, valid read once at a planned end; ` +
    'always-valid p: the same difference by mSPRT, valid however often you look (what promotion uses while the experiment runs).';
  const srm = f.srmText(results.srm);
  $('srm').textContent = srm.text;
  $('srm').className = srm.cls;
  $('srm-stages').replaceChildren(...(results.srm.stages ?? []).map(stage => {
    const line = f.srmStageText(stage);
    return el('li', { text: line.text, cls: line.cls, attrs: { 'data-stage': String(stage.stage) } });
  }));
  renderRecommendation(results.recommendation);
}

// The action (or a completed experiment's outcome) and the reasons that decide it; every other detail behind a toggle.
function renderRecommendation(r) {
  const action = { rollback: 'ROLL BACK', promote: 'PROMOTE' }[r.action] ?? 'CONTINUE';
  const box = $('recommendation');
  const wasOpen = box.querySelector('details')?.open ?? false;
  box.className = `recommendation ${r.outcome ? 'completed' : r.action}`;
  const headline = r.outcome
    ? el('p', {}, el('strong', { text: 'Outcome: ' }), el('span', { text: r.outcome, attrs: { 'data-field': 'outcome' } }))
    : el('p', {}, el('strong', { text: 'Recommendation: ' }), el('span', { text: `${action}${r.variant ? ` ${r.variant}` : ''}`, attrs: { 'data-field': 'action' } }));
  const reasons = r.outcome ? r.reasons.slice(1) : r.reasons;
  const children = [headline, el('ul', { cls: 'reasons' }, ...reasons.map(reason => el('li', { text: reason })))];
  const details = r.details ?? [];
  if (details.length > 0) {
    const toggle = el('details', {}, el('summary', { text: `Details (${details.length})` }),
      el('ul', { cls: 'details' }, ...details.map(detail => el('li', { text: detail }))));
    toggle.open = wasOpen;
    children.push(toggle);
  }
  box.replaceChildren(...children);
}

// One row and one chart per judge: its score per variant, what judging cost, and how far people agree with it.
function renderJudges(e, results) {
  const judges = e.definition.judges ?? [];
  $('judges-section').hidden = judges.length === 0;
  const found = new Map((results?.judges ?? []).map(j => [j.name, j]));
  $('judges').tBodies[0].replaceChildren(...judges.map(judge => {
    const r = found.get(judge.name);
    const variants = Object.entries(r?.variants ?? {});
    return el('tr', { attrs: { 'data-judge': judge.name } },
      el('th', { text: `judge_${judge.name}`, attrs: { scope: 'row' } }),
      el('td', { text: `${judge.provider}/${judge.model} · ${f.percent(judge.sample_rate, 0)} sampled` }),
      el('td', { text: variants.map(([name, v]) => `${name} ${f.score(v)}`).join(' · ') || 'no verdicts yet', attrs: { 'data-field': 'scores' } }),
      el('td', { text: variants.map(([name, v]) => `${name} $${(v.cost_usd ?? 0).toFixed(4)}`).join(' · ') || '-', attrs: { 'data-field': 'cost' } }),
      el('td', { text: f.calibration(r?.calibration), attrs: { 'data-field': 'calibration' } }));
  }));
  const figures = judges.map(judge => {
    const id = `chart-judge-judge_${judge.name}`;
    return el('figure', {},
      el('figcaption', { text: `judge_${judge.name} against the control, with its 95% confidence sequence`, attrs: { id: `${id}-title` } }),
      el('div', { cls: 'chart' }, el('canvas', { attrs: { id, role: 'img', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text` } })),
      el('p', { cls: 'visually-hidden', attrs: { id: `${id}-text` } }));
  });
  const box = $('judge-charts');
  const ids = figures.map(fig => fig.querySelector('canvas').id).join();
  if (box.dataset.ids !== ids) { box.replaceChildren(...figures); box.dataset.ids = ids; }
}

function renderAudit(audit) {
  $('audit').tBodies[0].replaceChildren(...audit.slice().reverse().map(a => el('tr', {},
    el('td', { text: f.timestamp(a.ts) }), el('td', { text: a.who }), el('td', { text: a.action }),
    el('td', { text: a.variant ?? '' }), el('td', { text: a.reason }))));
}
