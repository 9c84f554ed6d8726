/**
 * The photo pipeline's HTTP server (node:http on 127.0.0.1, a free port): it serves the
 * generated photos and stores the thumbnails uploaded to it, each answer after a configurable
 * latency that stands for the network.
 *
 * - `GET /photos/<i>` answers photo `i` (`image/jpeg`), 404 for an index it does not have.
 * - `PUT /thumbnails/<run>/<i>` stores the body as run `<run>`'s upload of photo `i` and
 *   answers 201; a second upload of the same photo in the same run is counted (the end check
 *   fails on it) and keeps the first body. `<run>` is 1–16 lowercase letters, so that the
 *   serial and the pipelined run of the example check their uploads separately.
 * - Anything else: 404, or 405 for another method on a known path.
 *
 * Bounds (STYLE 21): an upload's body is at most `maxUpload` bytes (default 1 MiB): a
 * `Content-Length` over it is refused before a byte is read, a body that grows past it is
 * refused the moment it does (413, connection closed), and the bytes read so far are dropped.
 * The request line and headers are bounded by Node's `maxHeaderSize` (16 KiB); the path is
 * matched by anchored patterns with bounded repetition, in time linear in its length.
 *
 * `close()` ends everything: answers still waiting out their latency are abandoned (their
 * sockets destroyed), keep-alive connections (which `fetch` keeps open) are closed, and it
 * resolves once the listening socket is gone. No timer or socket outlives it.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkInteger, checkOptions, expectation } from '../../src/core/validate.js';
import { sleep } from '../../src/tasks/index.js';

/** Options of {@link startPhotoServer}. */
export interface PhotoServerOptions {
  /** The JPEG photos to serve, photo `i` at `/photos/<i>`. */
  readonly photos: readonly Uint8Array[];
  /** Milliseconds each answer waits before it goes out (default 0). */
  readonly latency?: number | undefined;
  /** The largest upload body accepted, in bytes (default 1 MiB). */
  readonly maxUpload?: number | undefined;
}

/** What the server holds for one photo of one run. */
export interface Upload {
  /** How many times the photo was uploaded in that run (1 when all went well). */
  readonly count: number;
  /** The body of the first upload. */
  readonly bytes: Uint8Array;
}

const PHOTO_PATH = /^\/photos\/(\d{1,9})$/;
const UPLOAD_PATH = /^\/thumbnails\/([a-z]{1,16})\/(\d{1,9})$/;

/** Thrown inside a request's handling to answer with `status`. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A running photo server; see the module comment for its routes and bounds. */
export class PhotoServer implements AsyncDisposable {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly #server: ReturnType<typeof createServer>;
  /** Aborted by `close()`: every latency wait watches it. */
  readonly #closing = new AbortController();
  /** run -> photo index -> upload. */
  readonly #uploads = new Map<string, Map<number, Upload>>();
  #closed: Promise<void> | undefined;
  /** Requests received so far, answered or not. */
  #received = 0;

  /** @internal Use {@link startPhotoServer}. */
  constructor(
    server: ReturnType<typeof createServer>,
    readonly photos: readonly Uint8Array[],
    readonly latency: number,
    readonly maxUpload: number,
  ) {
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The URL of photo `index`. */
  photoUrl(index: number): string {
    return `${this.url}/photos/${index}`;
  }

  /** The URL run `run` uploads the thumbnail of photo `index` to. */
  uploadUrl(run: string, index: number): string {
    return `${this.url}/thumbnails/${run}/${index}`;
  }

  /** What run `run` uploaded so far, by photo index (empty for a run that uploaded nothing). */
  uploads(run: string): ReadonlyMap<number, Upload> {
    return this.#uploads.get(run) ?? new Map<number, Upload>();
  }

  /** How many requests arrived so far, whatever became of them. */
  get received(): number {
    return this.#received;
  }

  /** Stops serving and closes every connection; idempotent. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#closing.abort(new Error('The photo server is closing'));
      // close() stops listening and ends idle keep-alive sockets as they become idle; the
      // abandoned answers' sockets were destroyed above, and closeAllConnections ends the rest.
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closed;
  }

  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal The request handler; answers every request exactly once or destroys its socket. */
  handle(request: IncomingMessage, response: ServerResponse): void {
    this.#received++;
    this.#answer(request, response).catch((error: unknown) => {
      if (error instanceof HttpError && !response.headersSent) {
        response.writeHead(error.status, { 'content-type': 'text/plain', ...(error.status === 413 ? { connection: 'close' } : {}) });
        response.end(`${error.message}\n`);
      } else {
        // Closing, or a socket that failed mid-request: there is nobody left to answer.
        response.destroy();
      }
    });
  }

  async #answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '';
    const photo = PHOTO_PATH.exec(path);
    const upload = photo === null ? UPLOAD_PATH.exec(path) : null;
    if (photo === null && upload === null) throw new HttpError(404, `No such resource: ${path.slice(0, 100)}`);
    if (photo !== null) {
      if (request.method !== 'GET') throw new HttpError(405, `Method ${request.method} not allowed on ${path}`);
      const bytes = this.photos[Number(photo[1])];
      if (bytes === undefined) throw new HttpError(404, `No photo ${photo[1]}: the server has ${this.photos.length}`);
      await this.#wait();
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.byteLength });
      response.end(bytes);
      return;
    }
    // upload !== null here (one of the two patterns matched), and its two groups always capture.
    const [, run, index] = upload as unknown as [string, string, string];
    if (request.method !== 'PUT') throw new HttpError(405, `Method ${request.method} not allowed on ${path}`);
    const body = await readBody(request, this.maxUpload);
    await this.#wait();
    this.#store(run, Number(index), body);
    response.writeHead(201, { 'content-type': 'text/plain' });
    response.end('stored\n');
  }

  /** The latency before an answer; rejects once the server is closing. */
  #wait(): Promise<void> {
    const signal = this.#closing.signal;
    if (this.latency > 0) return sleep(this.latency, { signal });
    return signal.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
  }

  #store(run: string, index: number, bytes: Uint8Array): void {
    let uploads = this.#uploads.get(run);
    if (uploads === undefined) this.#uploads.set(run, (uploads = new Map<number, Upload>()));
    const previous = uploads.get(index);
    uploads.set(index, previous === undefined ? { count: 1, bytes } : { count: previous.count + 1, bytes: previous.bytes });
  }
}

/**
 * Reads `request`'s body, at most `limit` bytes: rejects with a 413 `HttpError` as soon as the
 * declared or received length passes it, without keeping a byte past the limit. The request is
 * then paused, not destroyed, so that the 413 can still be written (with `connection: close`,
 * after which Node closes the socket).
 */
function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(new HttpError(413, `Upload of ${declared} bytes refused: the limit is ${limit}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      length += chunk.byteLength;
      if (length > limit) {
        done();
        request.pause();
        reject(new HttpError(413, `Upload refused past ${limit} bytes: the limit`));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => {
      done();
      resolve(new Uint8Array(Buffer.concat(chunks, length)));
    };
    // 'close' before 'end': the client went away mid-body.
    const onClose = (): void => {
      done();
      reject(new Error('The upload was cut short'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
  });
}

/**
 * Starts a {@link PhotoServer} on 127.0.0.1 at a free port.
 *
 * @throws {TypeError | RangeError} synchronously (as a rejection-free throw) for bad options.
 * @example
 * ```ts
 * await using server = await startPhotoServer({ photos: [jpeg], latency: 20 });
 * const photo = await fetch(server.photoUrl(0));
 * ```
 */
export function startPhotoServer(options: PhotoServerOptions): Promise<PhotoServer> {
  checkOptions('options', options);
  if (options === undefined) throw new TypeError(expectation('options', 'an options object with `photos`', options));
  const { photos, latency = 0, maxUpload = 1024 * 1024 } = options;
  if (!Array.isArray(photos) || !photos.every((photo) => photo instanceof Uint8Array)) {
    throw new TypeError(expectation('photos', 'an array of Uint8Array', photos));
  }
  checkInteger('latency', latency, 0);
  checkInteger('maxUpload', maxUpload, 0);
  return new Promise((resolve, reject) => {
    let photoServer: PhotoServer | undefined;
    const server = createServer((request, response) => photoServer?.handle(request, response));
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      photoServer = new PhotoServer(server, photos, latency, maxUpload);
      resolve(photoServer);
    });
  });
}
