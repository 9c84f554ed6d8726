/**
 * The photo pipeline's two I/O stages, over `fetch`: download a photo, upload a thumbnail.
 * A downloaded body is outside input, so it is bounded (STYLE 21): a `Content-Length` over
 * `maxBytes` is refused before the body is read, and a body that grows past it is cancelled
 * the moment it does, with what was read dropped. Every body is read to its end or cancelled,
 * so that `fetch` can reuse the keep-alive connection and nothing is left open.
 *
 * @module
 */

/** The largest photo downloaded by default: 32 MiB, far above a 4096-pixel JPEG. */
export const MAX_DOWNLOAD = 32 * 1024 * 1024;

/** A download or upload the server answered with an error status, or a body over its bound. */
export class TransferError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or 0 when the status was fine and the body was not. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/** The largest answer to an upload read: the server says a word or two. */
const MAX_UPLOAD_ANSWER = 4096;

/**
 * The bytes at `url` (GET), at most `maxBytes` (default {@link MAX_DOWNLOAD}).
 *
 * @throws {TransferError} for a status other than 200 or a body over `maxBytes`; rejects with
 *   `signal.reason` when aborted.
 * @example
 * ```ts
 * const jpeg = await download(server.photoUrl(3), { signal });
 * ```
 */
export async function download(url: string, opts: { signal?: AbortSignal | undefined; maxBytes?: number | undefined } = {}): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(url, { signal: opts.signal ?? null });
  const body = await readBody(response, `GET ${url}`, opts.maxBytes ?? MAX_DOWNLOAD);
  if (response.status !== 200) throw new TransferError(`GET ${url} answered ${response.status}`, response.status);
  return body;
}

/**
 * Sends `bytes` to `url` with PUT; resolves once the server answered 201.
 *
 * @throws {TransferError} for any other status; rejects with `signal.reason` when aborted.
 * @example
 * ```ts
 * await upload(server.uploadUrl('pipelined', 3), thumbnail, { signal });
 * ```
 */
export async function upload(url: string, bytes: Uint8Array, opts: { signal?: AbortSignal | undefined } = {}): Promise<void> {
  const response = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'image/jpeg' }, signal: opts.signal ?? null });
  await readBody(response, `PUT ${url}`, MAX_UPLOAD_ANSWER);
  if (response.status !== 201) throw new TransferError(`PUT ${url} answered ${response.status}`, response.status);
}

/** `response`'s whole body, refused (and cancelled) past `maxBytes`, declared or received. */
async function readBody(response: Response, what: string, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new TransferError(`${what}: ${declared} bytes refused, the limit is ${maxBytes}`, 0);
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  if (response.body !== null) {
    // A fetch body is a byte stream: its chunks are Uint8Arrays (Node types them `any`).
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      length += chunk.value.byteLength;
      if (length > maxBytes) {
        await reader.cancel();
        throw new TransferError(`${what}: body refused past ${maxBytes} bytes, the limit`, 0);
      }
      chunks.push(chunk.value);
    }
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
