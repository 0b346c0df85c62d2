/** The part of a Node domain functions-framework puts each request in that this module uses. */
interface ActiveDomain {
  enter(): void;
  exit(): void;
}

/**
 * Starts `work` outside the request's domain. functions-framework runs every request in a
 * `node:domain`, and while one is active Node tags each promise and callback created with it
 * and enters and leaves it around each callback: on a handler that awaits many small Firestore
 * and file operations that was a quarter of its CPU time. The domain only turns an exception
 * thrown from a bare callback into the request's 500; work built on promises rejects instead,
 * and the caller's awaiting (inside the domain) answers the request as before.
 */
export function outsideRequestDomain<T>(work: () => Promise<T>): Promise<T> {
  const domain = (process as { domain?: ActiveDomain | null }).domain;
  if (!domain) return work();
  domain.exit();
  try {
    return work();
  } finally {
    domain.enter();
  }
}
