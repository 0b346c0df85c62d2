/** One file the console serves: its bytes as text, its type, and a tag for revalidation. */
export interface WebAsset {
  contentType: string;
  body: string;
  etag: string;
}

/** The console's files by URL path (`/`, `/assets/app.js`, `/assets/app.css`). */
export type WebAssets = Record<string, WebAsset>;
