// The Shadow section: each shadow variant against the control on the same requests (the results' shadow block, as
// `rampart results` shows it under "shadow (paired)"); hidden when the experiment has no shadow events.
import { $, el } from './dom.js';
import * as f from './format.js';

const signed = (v, digits) => v == null ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
const ratio = v => v == null ? '-' : v.toFixed(3);
const interval = ci => ci ? ` [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]` : '';
const p = v => v == null ? '-' : v < 0.0001 ? '< 0.0001' : v.toFixed(4);

export function renderShadow(results) {
  const shadow = results?.shadow;
  $('shadow-section').hidden = !shadow;
  if (!shadow) return;
  $('shadow').tBodies[0].replaceChildren(...shadow.variants.map(v => {
    const e = v.errors, l = v.latency_ms, c = v.cost_usd;
    const judges = Object.entries(v.judges).map(([score, j]) =>
      `${score} ${signed(j.mean_difference, 3)} (n ${j.n.toLocaleString('en-US')})` +
      (j.preference?.win_rate != null ? `, wins ${f.percent(j.preference.win_rate, 0)} of ${j.preference.n.toLocaleString('en-US')}` : ''));
    return el('tr', { attrs: { 'data-variant': v.name } },
      el('th', { text: v.name, attrs: { scope: 'row' } }),
      el('td', { text: v.pairs.toLocaleString('en-US'), attrs: { 'data-field': 'pairs' } }),
      el('td', { text: `b ${e.shadow_only} / c ${e.control_only} · ${e.difference == null ? '-' : `${e.difference >= 0 ? '+' : ''}${f.percent(e.difference)}`} · p worse ${p(e.p_value_shadow_worse)}`, attrs: { 'data-field': 'errors' } }),
      el('td', { text: `${ratio(l.geometric_mean_ratio)}${interval(l.geometric_mean_ratio_ci95)} · median ${ratio(l.median_ratio)} · p95 ${ratio(l.p95_ratio)}`, attrs: { 'data-field': 'latency' } }),
      el('td', { text: `${c.mean_difference == null ? '-' : `${c.mean_difference >= 0 ? '+' : '-'}$${Math.abs(c.mean_difference).toFixed(5)}`} · spent $${c.shadow_total.toFixed(4)}`, attrs: { 'data-field': 'cost' } }),
      el('td', { text: judges.join(' · ') || '-', attrs: { 'data-field': 'judges' } }));
  }));
  $('shadow-note').textContent = `Every difference is shadow − control, every ratio shadow / control, on the same requests; ` +
    `p worse: McNemar's exact one-sided p that the shadow fails more often. ${shadow.unmatched.toLocaleString('en-US')} calls wait for their pair` +
    (shadow.dropped > 0 ? `, ${shadow.dropped.toLocaleString('en-US')} dropped unmatched.` : '.');
}
