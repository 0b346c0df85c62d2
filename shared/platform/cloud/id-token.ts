/** The metadata server every Cloud Run instance can ask for its service account's tokens. */
const METADATA_IDENTITY =
  'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity';

/** Google's ID tokens last an hour; one is reused for most of it. */
const REUSE_MS = 45 * 60 * 1000;

/**
 * ID tokens for calling other Cloud Run services as this function's service account, from the
 * metadata server, one per audience, reused for 45 minutes.
 */
export function metadataIdTokens(
  fetchImpl: typeof fetch = fetch,
): (audience: string) => Promise<string> {
  const cache = new Map<string, { token: Promise<string>; until: number }>();
  return (audience) => {
    const cached = cache.get(audience);
    if (cached && cached.until > Date.now()) return cached.token;
    const token = fetchImpl(`${METADATA_IDENTITY}?audience=${encodeURIComponent(audience)}`, {
      headers: { 'metadata-flavor': 'Google' },
    }).then(async (response) => {
      if (!response.ok) throw new Error(`metadata server answered ${response.status}`);
      return response.text();
    });
    cache.set(audience, { token, until: Date.now() + REUSE_MS });
    token.catch(() => cache.delete(audience));
    return token;
  };
}
