/** Shorter secrets are shown only as stars: their ends would give too much away. */
const MIN_PARTLY_SHOWN = 16;

/** A secret for display: `abcd…wxyz` for long values, `****` for short ones, null when unset. */
export function maskSecret(value: string | undefined): string | null {
  if (!value) return null;
  if (value.length < MIN_PARTLY_SHOWN) return '****';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** True for what maskSecret shows, so a form posting back a masked value changes nothing. */
export function isMasked(value: string): boolean {
  return value === '****' || /^.{4}….{4}$/u.test(value);
}
