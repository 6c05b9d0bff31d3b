// The Segments section: a picker listing the experiment's stored attributes (its targeting's and its segments) and, once one is
// picked, the per-segment results (`GET …/results?by=`, as `rampart results --by` prints them): each segment's primary score per
// variant, the difference from the control, its per-unit p-value and that p-value Holm-adjusted across the segments, with flags.
import { api } from './api.js';
import { $, el } from './dom.js';

const picked = new Map();   // experiment key → the attribute picked, kept across refreshes
const signed = v => v == null ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
const p = v => v == null ? '-' : v < 0.0001 ? '< 0.0001' : v.toFixed(4);
const FLAGS = { better: 'better', worse: 'worse', harmed: 'HARMED (worse here, better overall)', blocks_promotion: 'BLOCKS PROMOTION (beyond max_segment_drop)' };

// The attribute names a targeting group names, depth first, as ExperimentDefinition.StoredAttributes lists them.
function targetingAttributes(rule, names = []) {
  if (!rule || typeof rule !== 'object') return names;
  if (typeof rule.attribute === 'string') names.push(rule.attribute);
  for (const child of [...(rule.all ?? []), ...(rule.any ?? [])]) targetingAttributes(child, names);
  return names;
}

export function storedAttributes(definition) {
  return [...new Set([...targetingAttributes(definition.targeting), ...(definition.segments ?? [])])];
}

// Called on every refresh: keeps the picker's options (and focus) unless the attributes changed, and reloads the picked breakdown.
export async function loadSegments(key, path, definition) {
  const attributes = storedAttributes(definition);
  $('segments-section').hidden = attributes.length === 0;
  const select = $('segment-by');
  const wanted = ['', ...attributes].join('\n');
  if (select.dataset.options !== wanted || select.dataset.key !== key) {
    select.replaceChildren(el('option', { text: 'Whole experiment', attrs: { value: '' } }),
      ...attributes.map(a => el('option', { text: a, attrs: { value: a } })));
    select.dataset.options = wanted;
    select.dataset.key = key;
    select.value = attributes.includes(picked.get(key)) ? picked.get(key) : '';
    select.onchange = () => { picked.set(key, select.value); showSegments(path, select.value); };
  }
  if (attributes.length > 0) await showSegments(path, select.value);
}

async function showSegments(path, by) {
  const table = $('segments');
  table.hidden = !by;
  if (!by) {
    table.tBodies[0].replaceChildren();
    $('segment-warnings').replaceChildren();
    $('segments-note').textContent = 'Pick an attribute to see the results per segment of its values.';
    return;
  }
  let results;
  try {
    results = await api(`${path}/results?by=${encodeURIComponent(by)}`);
  } catch (error) {
    table.tBodies[0].replaceChildren();
    $('segments-note').textContent = `Segments unavailable: ${error.message}`;
    return;
  }
  if ($('segment-by').value !== by) return;   // another attribute was picked meanwhile
  $('segment-score-heading').textContent = results.primary_score;
  table.tBodies[0].replaceChildren(...results.segments.flatMap(segment => segment.variants.map((v, i) => {
    const flagged = v.flags.length > 0;
    const cls = v.flags.includes('worse') ? 'worse' : v.flags.includes('better') ? 'better' : '';
    const name = segment.name === 'other' ? `other (${segment.values.join(', ')})` : segment.name;
    return el('tr', { attrs: { 'data-segment': segment.name, 'data-variant': v.name } },
      el('th', { text: i === 0 ? name : '', attrs: { scope: 'row' } }),
      el('td', { text: i === 0 ? segment.units.toLocaleString('en-US') : '', attrs: { 'data-field': 'units' } }),
      el('td', { text: i === 0 ? `${v.name} (control)` : v.name }),
      el('td', { text: `${v.score == null ? '-' : v.score.toFixed(3)} (n ${v.n.toLocaleString('en-US')})`, attrs: { 'data-field': 'score' } }),
      el('td', { text: i === 0 ? '' : signed(v.diff), cls, attrs: { 'data-field': 'diff' } }),
      el('td', { text: i === 0 ? '' : p(v.p_value), attrs: { 'data-field': 'p_value' } }),
      el('td', { text: i === 0 ? '' : p(v.p_value_holm), attrs: { 'data-field': 'p_value_holm' } }),
      el('td', { text: flagged ? v.flags.map(f => FLAGS[f] ?? f).join(', ') : '', cls: flagged ? cls : '', attrs: { 'data-field': 'flags' } }));
  })));
  $('segment-warnings').replaceChildren(...results.warnings.map(w => el('li', { text: w, cls: 'warn' })));
  $('segments-note').textContent = `Units are split by ${by} in their first exposure carrying it; segments under ` +
    `${results.min_segment_units.toLocaleString('en-US')} units are pooled into 'other'. p: per-unit delta method; ` +
    `Holm: adjusted across the segments, per variant; flags at alpha ${results.alpha}.`;
}
