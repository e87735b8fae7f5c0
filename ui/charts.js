// The charts of the compare view and the board briefing, drawn with the vendored
// Chart.js (ui/vendor/chart.js-4.6.1). Values are the engine's strings, turned into
// numbers only to place them on an axis; labels are formatted as $1.23M.
import { compactMoney, money, toChartNumber } from "./format.js";

const Chart = window.Chart;
const charts = new Map();

const PALETTE = ["--series-1", "--series-2", "--series-3", "--series-4"];
const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const seriesColor = (i) => css(PALETTE[i % PALETTE.length]);

function baseOptions(large) {
  const ink = css("--ink-soft");
  const grid = css("--grid");
  const size = large ? 20 : 12;
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: { labels: { color: ink, font: { size }, boxWidth: large ? 24 : 14 } },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.dataset.texts?.[ctx.dataIndex] ?? compactMoney(ctx.parsed.y)}` } },
    },
    scales: {
      x: { ticks: { color: ink, font: { size } }, grid: { color: grid } },
      y: { ticks: { color: ink, font: { size }, callback: (v) => compactMoney(v) }, grid: { color: grid } },
    },
  };
}

/** Creates or updates the chart on `canvas` in place (fast enough for a moving slider). */
function put(canvas, type, data, options) {
  const existing = charts.get(canvas);
  if (existing && existing.config.type === type) {
    existing.data = data;
    existing.options = options;
    existing.update("none");
    return existing;
  }
  existing?.destroy();
  const chart = new Chart(canvas, { type, data, options });
  charts.set(canvas, chart);
  return chart;
}

const values = (years, key) => years.map((y) => toChartNumber(y[key]));
const texts = (years, key) => years.map((y) => money(y[key]));

export function revenueExpense(canvas, view, large = false) {
  const labels = view.scenarios[0].years.map((y) => y.label);
  const datasets = view.scenarios.flatMap((p, i) => [
    { label: `${p.scenario}: revenue`, data: values(p.years, "revenue"), texts: texts(p.years, "revenue"), borderColor: seriesColor(i), backgroundColor: seriesColor(i), borderWidth: large ? 4 : 2, pointRadius: large ? 5 : 3 },
    { label: `${p.scenario}: expense`, data: values(p.years, "expense"), texts: texts(p.years, "expense"), borderColor: seriesColor(i), backgroundColor: seriesColor(i), borderDash: [6, 4], borderWidth: large ? 4 : 2, pointRadius: large ? 5 : 3, pointStyle: "rectRot" },
  ]);
  return put(canvas, "line", { labels, datasets }, baseOptions(large));
}

export function fundBalance(canvas, view, large = false) {
  const labels = view.scenarios[0].years.map((y) => y.label);
  const datasets = view.scenarios.flatMap((p, i) => [
    { label: p.scenario, data: values(p.years, "fund_balance"), texts: texts(p.years, "fund_balance"), borderColor: seriesColor(i), backgroundColor: seriesColor(i), borderWidth: large ? 4 : 2, pointRadius: large ? 5 : 3 },
    { label: `${p.scenario}: policy (${view.reserve_policy_pct} % of expense)`, data: view.policy_fund_balance[i].map(toChartNumber), texts: view.policy_fund_balance[i].map(money), borderColor: seriesColor(i), borderDash: large ? [10, 6] : [2, 3], borderWidth: large ? 3 : 1.5, pointRadius: 0 },
  ]);
  const options = baseOptions(large);
  // A balance drawn from $0, so a fall looks as large as it is.
  options.scales.y.beginAtZero = true;
  return put(canvas, "line", { labels, datasets }, options);
}

export function taxPer100k(canvas, view, large = false) {
  const years = view.scenarios[0].years.slice(1);
  const labels = years.map((y) => y.label);
  const datasets = view.scenarios.map((p, i) => ({
    label: p.scenario, data: values(p.years.slice(1), "tax_per_100k"), texts: texts(p.years.slice(1), "tax_per_100k"),
    backgroundColor: seriesColor(i), borderColor: seriesColor(i),
  }));
  const options = baseOptions(large);
  options.scales.y.ticks.callback = (v) => compactMoney(v);
  return put(canvas, "bar", { labels, datasets }, options);
}

/** A long label as lines of at most `width` characters (Chart.js draws an array as lines). */
function wrap(label, width) {
  const lines = [];
  for (const word of label.split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Floating bars from the reference's fund balance, through each change, to the fund
 * balance of the scenario of waterfall `which` (the last compared one by default). */
export function waterfall(canvas, view, yearIndex, large = false, which = view.waterfalls.length - 1) {
  const w = view.waterfalls[which];
  if (!w) return null;
  const i = Math.min(Math.max(yearIndex, 0), w.years.length - 1);
  const pos = css("--positive");
  const neg = css("--negative");
  const total = css("--ink-soft");
  const bars = [
    { label: w.reference, range: [0, w.start[i]], text: money(w.start[i]), color: total },
    ...w.steps.map((s) => ({ label: s.label, range: [s.from[i], s.to[i]], text: `${s.delta[i].startsWith("-") ? "" : "+"}${money(s.delta[i])}`, color: s.delta[i].startsWith("-") ? neg : pos })),
    { label: w.scenario, range: [0, w.end[i]], text: money(w.end[i]), color: total },
  ];
  const data = {
    labels: bars.map((b) => wrap(b.label, large ? 22 : 16)),
    datasets: [{
      label: "Fund balance",
      data: bars.map((b) => b.range.map(toChartNumber)),
      texts: bars.map((b) => b.text),
      backgroundColor: bars.map((b) => b.color),
      borderSkipped: false,
    }],
  };
  const options = baseOptions(large);
  options.plugins.legend = { display: false };
  options.scales.x.ticks.autoSkip = false;
  options.scales.x.ticks.maxRotation = 0;
  options.scales.y.beginAtZero = false;
  return put(canvas, "bar", data, options);
}

export function drawCompareCharts(view, summary, waterfallYear, waterfallScenario) {
  revenueExpense(document.getElementById("chart-revexp"), view);
  fundBalance(document.getElementById("chart-balance"), view);
  taxPer100k(document.getElementById("chart-tax"), view);
  waterfall(document.getElementById("chart-waterfall"), view, waterfallYear, false, waterfallScenario);
}

/** Forgets charts whose canvas left the page (board slides). */
export function dropChart(canvas) {
  charts.get(canvas)?.destroy();
  charts.delete(canvas);
}
