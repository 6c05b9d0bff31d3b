// The numbers as `rampart results` prints them (src/Rampart.Cli/Rendering/ResultsTable.cs): ⬆/⬇ against the control,
// ✓ when p_value_clustered_holm < alpha, better/worse colouring only when significant.
export const percent = (rate, digits = 2) => `${(rate * 100).toFixed(digits)}%`;
export const weight = w => `${Number(w.toFixed(2))}%`;
export const timestamp = ts => ts ? ts.replace('T', ' ').replace(/\.\d+/, '').replace('Z', '') : '';

export function compared(text, comparison, alpha, higherIsBetter) {
  if (comparison?.diff == null) return { text, cls: '' };
  const diff = comparison.diff;
  const arrow = diff > 0 ? '⬆' : diff < 0 ? '⬇' : '=';
  const lift = comparison.lift != null ? ` ${comparison.lift >= 0 ? '+' : ''}${percent(comparison.lift, 1)}` : '';
  const significant = comparison.p_value_clustered_holm != null && comparison.p_value_clustered_holm < alpha;
  const cls = significant && diff !== 0 ? ((diff > 0) === higherIsBetter ? 'better' : 'worse') : '';
  return { text: `${text} ${arrow}${lift}${significant ? ' ✓' : ''}`, cls };
}

export function pValue(p, alpha) {
  if (p == null) return '-';
  if (p < 0.0001) return '< 0.0001 ✓';
  return p.toFixed(4) + (p < alpha ? ' ✓' : '');
}

export function traffic(variant, srm, totalUnits) {
  const share = totalUnits > 0 ? percent(variant.units / totalUnits, 1) : '-';
  const expected = srm.expected_weights?.[variant.name];
  return `${variant.units.toLocaleString('en-US')} units (${share}${expected != null ? `; weight ${weight(expected)}` : ''})`;
}

export const latency = l => l.p50 != null && l.p95 != null ? `${l.p50.toFixed(0)} / ${l.p95.toFixed(0)} ms` : '-';
export const cost = c => c.mean != null ? `$${c.mean.toFixed(5)}` : '-';
export const score = s => `${s?.mean != null ? s.mean.toFixed(3) : '-'} (n ${(s?.n ?? 0).toLocaleString('en-US')})`;
export const errorRate = e => e != null ? percent(e) : '-';

export function srmText(srm) {
  if (srm.stages?.length > 0) {
    return srm.mismatch
      ? { text: `Sample ratio, per stage: MISMATCH (p = ${srm.p_value.toPrecision(3)} < 0.001 in a stage): the split is not the configured one; nothing will be promoted.`, cls: 'worse' }
      : { text: "Sample ratio, per stage (units each variant served at a stage against that stage's weights): no mismatch.", cls: '' };
  }
  const expected = Object.entries(srm.expected_weights ?? {}).map(([n, w]) => `${n} ${weight(w)}`).join(', ');
  if (srm.p_value == null) return { text: `Sample ratio: not checked (expected ${expected}).`, cls: '' };
  if (srm.mismatch) {
    return { text: `Sample ratio: MISMATCH (p = ${srm.p_value.toPrecision(3)} < 0.001 against ${expected}): the split is not the configured one; nothing will be promoted.`, cls: 'worse' };
  }
  return { text: `Sample ratio: no mismatch (p = ${srm.p_value.toFixed(3)} against ${expected}).`, cls: '' };
}

export function srmStageText(stage) {
  const split = Object.entries(stage.observed).map(([n, units]) => `${n} ${units.toLocaleString('en-US')} vs ${weight(stage.expected[n])}`).join(', ');
  if (stage.p_value == null) return { text: `stage ${stage.stage}: ${split}: not tested`, cls: '' };
  if (stage.p_value < 0.001) return { text: `stage ${stage.stage}: ${split}: mismatch (p = ${stage.p_value.toPrecision(3)})`, cls: 'worse' };
  return { text: `stage ${stage.stage}: ${split}: p = ${stage.p_value.toFixed(3)}`, cls: '' };
}

// A judge's agreement with people (the results' judges[].calibration): Pearson r, Cohen's κ on the binarised scores, n.
export function calibration(c) {
  if (!c) return 'no pairs yet';
  const n = `n ${c.n.toLocaleString('en-US')}`;
  if (c.correlation == null && c.kappa == null) return `${n}${c.reason ? ` (${c.reason})` : ''}`;
  const r = c.correlation != null ? `r ${c.correlation.toFixed(2)}` : 'r -';
  const k = c.kappa != null ? `κ ${c.kappa.toFixed(2)}` : 'κ -';
  return `vs ${c.against}: ${r}, ${k}, ${n}`;
}
