// Money, dates and order states in words.

const moneyFormats = new Map();
/** 29.99, 'USD' → "$29.99" (the API sends exact two-decimal numbers). */
export function money(amount, currency = 'USD') {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      f = { format: (n) => `${Number(n).toFixed(2)} ${currency}` };
    }
    moneyFormats.set(currency, f);
  }
  return f.format(amount);
}

/** Line total without binary-float drift: work in cents. */
export function times(price, qty) {
  return Math.round(price * 100) * qty / 100;
}

export function sum(amounts) {
  return amounts.reduce((total, a) => total + Math.round(a * 100), 0) / 100;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
export function when(iso) {
  return iso ? dateFormat.format(new Date(iso)) : '';
}

/** Seconds left → "14:05". */
export function countdown(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const STATUS_WORDS = {
  PENDING: 'Awaiting payment',
  CONFIRMED: 'Paid',
  PAYMENT_FAILED: 'Payment failed',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
  SHIPPED: 'Shipped',
  REFUNDED: 'Refunded',
};
export function statusWords(status) {
  return STATUS_WORDS[status] || status;
}
