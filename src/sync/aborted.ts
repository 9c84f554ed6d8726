/**
 * The "already aborted" phase shared by every waiting call in `sync/`: reject at once with the
 * signal's reason, before looking at the resource and without parking.
 *
 * @module
 */

/** A promise rejected with `signal.reason`, exactly as the caller aborted with it. @internal */
export function rejectAborted<T>(signal: AbortSignal): Promise<T> {
  // `reason` is typed `any` and need not be an Error (`controller.abort('why')` is legal); the
  // contract is to reject with it unchanged, so the cast only quiets prefer-promise-reject-errors.
  return Promise.reject(signal.reason as Error);
}
