/**
 * `loom life-server`: the Game of Life game server in the foreground, for `loom life --io tcp
 * --server HOST:PORT` in other processes (the seed's "massively multiplayer online game"). It
 * prints one ready line with the address it bound, so that scripts and tests can wait for it
 * and read an ephemeral port (`--port 0`), serves until interrupted, then prints how many
 * answers it gave and closes every connection before the process exits.
 *
 * Serving never ends by itself, so the command always ends by rejecting with the interruption
 * (exit status 130 or 143), like `loom idle`; the server's open socket is what keeps the
 * process alive meanwhile.
 *
 * @module
 */

import { once } from 'node:events';
import type { Command } from '../command.js';
import { integerValue, noPositionals, textValue } from './life/values.js';

/** The longest delay a timer honours (2^31 - 1 ms): the most `--latency` and `--idle-timeout` may be. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The `life-server` command.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const serving = lifeServerCommand.run({ positionals: [], values: { port: '0' }, out: console.log, err: console.error, signal: controller.signal });
 * controller.abort(new Error('Interrupted'));
 * await serving.catch(() => {}); // printed the ready line, then the stopped line
 * ```
 */
export const lifeServerCommand: Command = {
  name: 'life-server',
  usage: '[--host HOST] [--port PORT] [--latency MS] [--max-connections N] [--max-in-flight N] [--idle-timeout MS]',
  summary: 'Runs the Game of Life server that `loom life --io tcp --server HOST:PORT` talks to, until interrupted.',
  details: [
    'Answers each cell\'s request with its next state after the latency (default 100 ms, the seed\'s '
      + 'cross-country round trip). Prints `loom life-server listening on HOST:PORT (latency MS ms)` once ready.',
    'Every client is bounded (docs/limits.md): a frame longer than 64 bytes or one that does not parse closes '
      + 'that connection, with one line on standard error; so do the three limits below.',
  ],
  options: {
    host: { type: 'string', valueName: 'HOST', description: 'Interface to listen on (default 127.0.0.1).' },
    port: { type: 'string', valueName: 'PORT', description: 'TCP port, 0 for any free one (default 0).' },
    latency: { type: 'string', valueName: 'MS', description: 'Milliseconds before each answer (default 100).' },
    'max-connections': { type: 'string', valueName: 'N', description: 'Connections open at once; more are closed at once (default 1024).' },
    'max-in-flight': { type: 'string', valueName: 'N', description: 'Unanswered requests per connection before it is not read (default 65536).' },
    'idle-timeout': { type: 'string', valueName: 'MS', description: 'Closes a connection silent this long with nothing in flight (default 60000).' },
  },
  async run({ positionals, values, out, err, signal }) {
    noPositionals('life-server', positionals);
    const host = textValue(values, 'host') ?? '127.0.0.1';
    const port = integerValue(values, 'port', 0, { min: 0, max: 65_535 });
    const latency = integerValue(values, 'latency', 100, { min: 0, max: MAX_TIMER_MS });
    const maxConnections = integerValue(values, 'max-connections', 1024, { min: 1 });
    const maxInFlight = integerValue(values, 'max-in-flight', 65_536, { min: 1 });
    const idleTimeout = integerValue(values, 'idle-timeout', 60_000, { min: 1, max: MAX_TIMER_MS });
    signal.throwIfAborted();
    const { startLifeServer } = await import('../../life/net/server.js');
    const options = { host, port, latency, maxConnections, maxInFlight, idleTimeout, log: err };
    await using server = await startLifeServer(options).catch((error: unknown) => {
      throw new Error(`Cannot listen on ${host}:${port}`, { cause: error });
    });
    out(`loom life-server listening on ${server.host}:${server.port} (latency ${server.latency} ms)`);
    try {
      if (!signal.aborted) await once(signal, 'abort');
      throw signal.reason;
    } finally {
      out(`loom life-server stopped after ${server.answered} answers`);
    }
  },
};
