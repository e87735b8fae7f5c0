// Formatting only: the engine sends money as exact decimal strings and this module
// turns them into text. Nothing here adds, subtracts or rounds money.

const wholeDollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const compactDollars = new Intl.NumberFormat("en-US", {
  style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 2,
});
const count = new Intl.NumberFormat("en-US");
const MONEY = /^(-?)(\d+)(?:\.(\d+))?$/;
const MINUS = "\u2212";

/** "-1234567.5" → "−$1,234,567.50": full cents, exact (the whole part goes through BigInt). */
export function money(text) {
  if (text === null || text === undefined) return "—";
  const m = MONEY.exec(text);
  if (!m) return String(text);
  const cents = `${m[3] ?? ""}00`.slice(0, 2);
  const body = `${wholeDollars.format(BigInt(m[2]))}.${cents}`;
  return m[1] && !isZero(text) ? MINUS + body : body;
}

/** A difference: "+$1,234.00", "−$5.00", "$0.00". */
export function signedMoney(text) {
  if (text === null || text === undefined) return "—";
  if (isZero(text) || text.startsWith("-")) return money(text);
  return `+${money(text)}`;
}

/** "$1.23M" for chart axes and labels, from an engine string or a chart tick. */
export function compactMoney(value) {
  return compactDollars.format(Number(value)).replace("-", MINUS);
}

/** "12.34" → "12.34 %". */
export function percent(text, signed = false) {
  if (text === null || text === undefined) return "—";
  const sign = signed && !text.startsWith("-") && !isZero(text) ? "+" : "";
  return `${sign}${text.replace("-", MINUS)} %`;
}

export function plain(text, signed = false) {
  if (text === null || text === undefined) return "—";
  const sign = signed && !String(text).startsWith("-") && !isZero(String(text)) ? "+" : "";
  return sign + String(text).replace("-", MINUS);
}

export function members(n, signed = false) {
  const sign = signed && n > 0 ? "+" : "";
  return sign + count.format(n).replace("-", MINUS);
}

export function isZero(text) {
  return /^-?0*(\.0*)?$/.test(String(text));
}

/** For chart placement only: an engine decimal string as a JS number. */
export const toChartNumber = (text) => (text === null || text === undefined ? null : Number(text));
