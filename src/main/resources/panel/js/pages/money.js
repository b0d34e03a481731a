// Costs as the server gives them: plain numbers in the currency of the operator's price table (the
// server names none), shown with as many decimals as small amounts need.

const whole = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

/** 12.50, 0.0068, 0.000019 — or "–" when there is no amount. */
export function money(value) {
  if (value == null) return '–';
  const amount = Number(value);
  if (amount === 0) return '0';
  return Math.abs(amount) >= 1 ? whole.format(amount) : small.format(amount);
}

/** A number field's value as an amount, null when empty. */
export function amountOrNull(input) {
  const value = input.value.trim();
  return value === '' ? null : Number(value);
}
