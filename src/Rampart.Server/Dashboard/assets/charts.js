// The experiment page's four charts, and one per judge, drawn with Chart.js (vendor/chart.umd.min.js) from numbers the
// server computed: /timeline (traffic per window, the score difference and its confidence sequence, the audit's
// changes; ?score= a judge's score), /latency
// (quantiles per variant) and /results (cost per query). The browser computes no statistics, only shares of counts.
const palette = ['#1f4e79', '#c2410c', '#047857', '#7c3aed', '#a1122a', '#0e7490', '#6b4f00'];
const MIN_BAND_VALUES = 30;
const marked = new Set(['start', 'pause', 'advance', 'stage', 'rollback', 'promote']);

const colour = (variants, name) => palette[Math.max(0, variants.indexOf(name)) % palette.length];
const translucent = hex => `${hex}33`;

// Axis labels in UTC, as precise as the span needs: days show the date, seconds show tenths.
function timeLabel(from, to) {
  const span = Date.parse(to) - Date.parse(from);
  return v => {
    const s = new Date(v).toISOString();
    return span > 86_400_000 ? `${s.slice(5, 10)} ${s.slice(11, 16)}` : span < 60_000 ? s.slice(11, 21) : s.slice(11, 19);
  };
}

// Vertical lines at the audit's rollout changes: rollbacks in red, the rest in grey, each labelled.
const markerPlugin = {
  id: 'rampartMarkers',
  afterDatasetsDraw(chart) {
    const markers = chart.options.plugins.rampartMarkers?.markers ?? [];
    const { ctx, chartArea, scales: { x } } = chart;
    ctx.save();
    markers.forEach((m, i) => {
      const px = x.getPixelForValue(Date.parse(m.ts));
      if (px < chartArea.left - 1 || px > chartArea.right + 1) return;
      ctx.strokeStyle = m.action === 'rollback' ? '#b3001b' : '#39424d';
      ctx.setLineDash(m.action === 'rollback' ? [] : [4, 3]);
      ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(px, chartArea.top); ctx.lineTo(px, chartArea.bottom); ctx.stroke();
      ctx.fillStyle = ctx.strokeStyle;
      ctx.font = '11px system-ui, sans-serif';
      const label = m.action + (m.variant ? ` ${m.variant}` : '');
      const width = ctx.measureText(label).width;
      const lx = px + 3 + width > chartArea.right ? px - 3 - width : px + 3; // near the right edge, the label goes left
      ctx.fillText(label, lx, chartArea.top + 11 + (i % 4) * 12);
    });
    ctx.restore();
  },
};

function make(id, config) {
  const canvas = document.getElementById(id);
  return new window.Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
}

// Each refresh draws the charts anew (animation off, so without flicker): Chart.js keeps resolved options that a
// partial update of scales and plugins would leave stale.
export class Charts {
  constructor() { this.charts = {}; }

  destroy() { Object.values(this.charts).forEach(c => c.destroy()); this.charts = {}; }

  update(results, timeline, latency, judgeTimelines = []) {
    if (!window.Chart) return;
    const variants = timeline?.variants ?? results?.variants.map(v => v.name) ?? [];
    if (timeline) { this.diff(timeline, variants); this.traffic(timeline, variants); }
    if (latency) this.latency(latency, variants);
    if (results) this.cost(results, variants);
    for (const t of judgeTimelines) if (t) this.diff(t, variants, `judge-${t.score}`);
  }

  // The time axis runs to the last event or rollout change, whichever is later.
  static span(timeline) {
    const last = Math.max(Date.parse(timeline.to), ...timeline.markers.map(m => Date.parse(m.ts)));
    return { min: Date.parse(timeline.from), max: last };
  }

  // A score's difference against the control with its confidence sequence: the primary score in chart-diff, a judge's
  // score in chart-judge-<score> (the ids of the canvas and its text alternative follow the chart's id).
  diff(timeline, variants, id = 'diff') {
    const datasets = [];
    const text = [];
    for (const name of variants.filter(v => v !== timeline.control)) {
      const c = colour(variants, name);
      const points = timeline.points.map(p => ({ x: Date.parse(p.end), d: p.differences[name] }));
      // The band starts once both groups have 30 values: before that the plug-in variance says little and its width would flatten the chart.
      const band = (p, end) => (p.d && Math.min(p.d.control_n, p.d.variant_n) >= MIN_BAND_VALUES ? p.d[end] : null);
      datasets.push({ label: `${name} 95% upper`, data: points.map(p => ({ x: p.x, y: band(p, 'upper') })), borderWidth: 0, pointRadius: 0, fill: false, borderColor: c });
      datasets.push({ label: `${name} 95% sequence`, data: points.map(p => ({ x: p.x, y: band(p, 'lower') })), borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: translucent(c), borderColor: c });
      datasets.push({ label: `${name} − ${timeline.control}`, data: points.map(p => ({ x: p.x, y: p.d?.diff ?? null })), borderColor: c, backgroundColor: c, borderWidth: 2, pointRadius: 0 });
      const last = timeline.points.at(-1)?.differences[name];
      if (last?.diff != null) {
        text.push(`${name}: ${last.diff >= 0 ? '+' : ''}${last.diff.toFixed(4)}` +
          (last.lower != null ? ` (95% sequence ${last.lower.toFixed(4)} to ${last.upper.toFixed(4)})` : ''));
      }
    }
    const { min, max } = Charts.span(timeline);
    datasets.push({ label: 'no difference', data: [{ x: min, y: 0 }, { x: max, y: 0 }], borderColor: '#39424d', borderDash: [2, 2], borderWidth: 1, pointRadius: 0 });
    document.getElementById(`chart-${id}-text`).textContent =
      `${timeline.score} difference against ${timeline.control} so far: ${text.join('; ') || 'no feedback yet'}.`;
    // The axis fits the differences and today's band; the wide early band is clipped rather than flattening the rest.
    const shown = [0];
    for (const p of timeline.points) for (const d of Object.values(p.differences)) if (d.diff != null) shown.push(d.diff);
    for (const d of Object.values(timeline.points.at(-1)?.differences ?? {})) if (d.lower != null) shown.push(d.lower, d.upper);
    const low = Math.min(...shown), high = Math.max(...shown), pad = (high - low || 0.01) * 0.25;
    const options = {
      scales: { x: { type: 'linear', ...Charts.span(timeline), ticks: { callback: timeLabel(timeline.from, timeline.to), maxTicksLimit: 7 } },
                y: { min: low - pad, max: high + pad, title: { display: true, text: `${timeline.score}: variant − control` } } },
      plugins: { legend: { labels: { filter: item => !item.text.endsWith('upper') } } },
    };
    this.charts[id]?.destroy();
    this.charts[id] = make(`chart-${id}`, { type: 'line', data: { datasets }, options });
  }

  traffic(timeline, variants) {
    const totals = timeline.points.map(p => variants.reduce((s, v) => s + (p.traffic[v] ?? 0), 0));
    const datasets = variants.map((name, i) => ({
      label: name,
      data: timeline.points.map((p, j) => ({ x: Date.parse(p.end), y: totals[j] > 0 ? 100 * (p.traffic[name] ?? 0) / totals[j] : null })),
      borderColor: colour(variants, name), backgroundColor: translucent(colour(variants, name)),
      fill: i === 0 ? 'origin' : '-1', pointRadius: 0, borderWidth: 1.5, stepped: 'before', spanGaps: true,
    }));
    const markers = timeline.markers.filter(m => marked.has(m.action));
    const latest = timeline.points.findLast(p => variants.some(v => p.traffic[v] > 0));
    const total = latest ? variants.reduce((s, v) => s + latest.traffic[v], 0) : 0;
    document.getElementById('chart-traffic-text').textContent =
      (latest ? `Latest window: ${variants.map(v => `${v} ${(100 * latest.traffic[v] / total).toFixed(1)}%`).join(', ')}. ` : 'No traffic yet. ') +
      `Rollout changes: ${markers.map(m => `${m.action}${m.variant ? ` ${m.variant}` : ''} at ${m.ts}`).join('; ') || 'none'}.`;
    const options = {
      scales: { x: { type: 'linear', ...Charts.span(timeline), ticks: { callback: timeLabel(timeline.from, timeline.to), maxTicksLimit: 7 } },
                y: { stacked: true, min: 0, max: 100, title: { display: true, text: 'share of traffic (%)' } } },
      plugins: { rampartMarkers: { markers } },
    };
    this.charts.traffic?.destroy();
    this.charts.traffic = make('chart-traffic', { type: 'line', data: { datasets }, options, plugins: [markerPlugin] });
  }

  latency(latency, variants) {
    const datasets = latency.variants.filter(v => v.count > 0).map(v => ({
      label: v.name, borderColor: colour(variants, v.name), backgroundColor: colour(variants, v.name), pointRadius: 0, borderWidth: 2,
      data: v.latency_ms.map((ms, i) => ({ x: ms, y: latency.quantiles[i] * 100 })).filter(p => p.x != null),
    }));
    document.getElementById('chart-latency-text').textContent = latency.variants.filter(v => v.count > 0)
      .map(v => `${v.name}: p50 ${v.latency_ms[49]?.toFixed(0)} ms, p90 ${v.latency_ms[89]?.toFixed(0)} ms, p99 ${v.latency_ms[98]?.toFixed(0)} ms`).join('; ') || 'No successful requests yet.';
    const options = { scales: { x: { type: 'linear', title: { display: true, text: 'latency (ms)' } }, y: { min: 0, max: 100, title: { display: true, text: 'requests at most this slow (%)' } } } };
    this.charts.latency?.destroy();
    this.charts.latency = make('chart-latency', { type: 'line', data: { datasets }, options });
  }

  cost(results, variants) {
    const data = {
      labels: results.variants.map(v => v.name),
      datasets: [{ label: 'cost per query (USD)', data: results.variants.map(v => v.cost_usd.mean), backgroundColor: results.variants.map(v => colour(variants, v.name)) }],
    };
    document.getElementById('chart-cost-text').textContent = results.variants
      .map(v => `${v.name}: ${v.cost_usd.mean != null ? `$${v.cost_usd.mean.toFixed(5)}` : 'no cost'}`).join('; ');
    const options = { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: 'USD per query' } } } };
    this.charts.cost?.destroy();
    this.charts.cost = make('chart-cost', { type: 'bar', data, options });
  }
}
