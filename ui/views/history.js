// What changed between two versions of a scenario, as the engine attributes it: each
// differing assumption, lever, override and referendum with its dollar effect in the
// last projection year, adding up to the whole difference.
import { el, clear, $ } from "../dom.js";
import { signedMoney } from "../format.js";

/** Renders `diff` (a ScenarioDiff) into the history dialog. */
export function renderDiff(diff, summary) {
  const box = clear($("#history-diff"));
  const a = diff.attribution;
  const last = a.years.length - 1;
  const label = summary.years.find((y) => y.year === a.years[last])?.label ?? String(a.years[last]);
  if (!a.contributions.length) {
    box.append(el("p", { class: "ok", text: `${diff.to} is the same as ${diff.from}: nothing has changed.` }));
    return;
  }
  const row = (name, c, cls) => el("tr", { class: cls },
    el("th", { scope: "row", text: name }),
    el("td", { class: "num", text: signedMoney(c.surplus[last]) }),
    el("td", { class: "num", text: signedMoney(c.fund_balance[last]) }),
    el("td", { class: "num", text: signedMoney(c.tax_per_100k[last]) }));
  box.append(
    el("p", { text: `From ${diff.from} to ${diff.to}, what each change is worth in ${label}:` }),
    el("table", { class: "tieout diff", "aria-label": `Changes from ${diff.from} to ${diff.to}` },
      el("thead", {}, el("tr", {}, ...["change", "surplus", "fund balance", "tax per $100k"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, a.contributions.map((c) => row(c.label, c)), row("whole difference", a, "total"))));
}
