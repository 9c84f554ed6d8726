/**
 * Item 52: Use subprocess to Manage Child Processes.
 *
 * Every example of the seed with loom's `run` and `spawn`, timed next to the seed's figures:
 * `echo` captured and checked; `sleep 1` polled while the parent works; ten `sleep 1` children
 * in parallel (about one second, not ten); `openssl enc -des3` fed random bytes, the password in
 * the environment, never in argv; the encrypt-then-hash chain, one child's stdout wired straight
 * into the next one's stdin; and `communicate({ timeout })` on `sleep 10`, then `terminate()`.
 *
 * OpenSSL 3 moved Whirlpool to its "legacy" provider, so `openssl dgst -whirlpool` fails on a
 * stock install. The demo probes for it (plain, then with `-provider legacy -provider default`)
 * and says which digest ran, falling back to SHA-256 rather than failing. Without `openssl` at
 * all, the two openssl examples say so and are skipped.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { run, spawn, TimeoutExpired } from '../src/subprocess/index.js';
import { runIfMain, seconds, type Demo, type DemoContext } from './harness.js';

/** The seed's password, passed in the child's environment (`-pass env:password`). */
const PASSWORD = 'zf7ShyBhZ0raQDdE/FiZpm/m/8f9X+M1';

/** Bytes the way Python prints them (`b'\x8c\xed\xc7m1'`), so the output reads like the seed's. */
function pyBytes(bytes: Uint8Array): string {
  const named: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r' };
  let text = '';
  for (const byte of bytes) {
    if (named[byte] !== undefined) text += named[byte];
    else if (byte === 0x27 || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `b'${text}'`;
}

/** The digest arguments to use: Whirlpool if this OpenSSL has it (directly or via the legacy provider), else SHA-256. */
async function pickDigest(ctx: DemoContext): Promise<{ args: string[]; label: string }> {
  const candidates = [
    { args: ['-whirlpool'], label: 'whirlpool' },
    { args: ['-provider', 'legacy', '-provider', 'default', '-whirlpool'], label: 'whirlpool (OpenSSL 3 legacy provider)' },
    { args: ['-sha256'], label: 'sha256 (this OpenSSL has no whirlpool)' },
  ];
  for (const candidate of candidates) {
    const probe = await run(['openssl', 'dgst', ...candidate.args, '-binary'], { input: '', signal: ctx.signal });
    if (probe.returncode === 0) return candidate;
  }
  throw new Error('openssl dgst works with none of whirlpool, whirlpool (legacy) or sha256');
}

function runEncrypt(data: Uint8Array) {
  const proc = spawn(['openssl', 'enc', '-des3', '-pass', 'env:password'], { env: { password: PASSWORD }, encoding: 'buffer' });
  proc.stdin?.write(data);
  return proc;
}

/** Item 52, as `loom demo 52` runs it; also runnable alone: `node dist/examples/52-subprocess.js [--quick]`. */
const demo: Demo = {
  item: 52,
  title: 'Use subprocess to Manage Child Processes',
  async run(ctx) {
    const { signal } = ctx;
    const sleepFor = ctx.quick ? '0.2' : '1';

    const result = await run(['echo', 'Hello from the child!'], { signal });
    result.checkReturncode(); // No exception means clean exit
    ctx.out(result.stdout.trimEnd());

    const pollStart = performance.now();
    const polled = spawn(['sleep', sleepFor], { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' });
    while (polled.poll() === undefined) {
      ctx.out('Working...');
      await delay(Number(sleepFor) * 250, undefined, { signal }); // some time-consuming work here
    }
    ctx.out(`Exit status ${polled.poll()} after ${seconds(performance.now() - pollStart)} seconds of work (seed: Exit status 0, after four Working...)`);

    const start = performance.now();
    const sleepProcs = Array.from({ length: 10 }, () => spawn(['sleep', sleepFor]));
    for (const proc of sleepProcs) await proc.communicate({ signal });
    ctx.out(`Finished in ${seconds(performance.now() - start)} seconds: 10 x sleep ${sleepFor} in parallel (seed: 1.05 seconds for sleep 1)`);

    const openssl = await run(['openssl', 'version'], { signal }).catch(() => undefined);
    if (openssl?.returncode !== 0) {
      ctx.out('openssl is not installed: the encryption and hashing examples are skipped.');
    } else {
      ctx.out(`Using ${openssl.stdout.trim()}`);
      const procs = Array.from({ length: 3 }, () => runEncrypt(randomBytes(10)));
      for (const proc of procs) {
        const { stdout } = await proc.communicate({ signal });
        ctx.out(pyBytes(stdout.subarray(-10)));
      }

      const digest = await pickDigest(ctx);
      ctx.out(`Hashing with ${digest.label}`);
      const encryptProcs = [];
      const hashProcs = [];
      for (let i = 0; i < 3; i++) {
        const encryptProc = runEncrypt(randomBytes(100));
        encryptProcs.push(encryptProc);
        // Handing stdout over closes the parent's copy: no input stolen, and SIGPIPE can reach openssl enc.
        // `!`: stdout is piped by default and not yet handed over.
        hashProcs.push(spawn(['openssl', 'dgst', ...digest.args, '-binary'], { stdin: encryptProc.stdout!, encoding: 'buffer' }));
      }
      for (const proc of encryptProcs) {
        await proc.communicate({ signal });
        if (proc.returncode !== 0) throw new Error(`openssl enc failed with ${proc.returncode}`);
      }
      for (const proc of hashProcs) {
        const { stdout } = await proc.communicate({ signal });
        ctx.out(pyBytes(stdout.subarray(-10)));
        if (proc.returncode !== 0) throw new Error(`openssl dgst failed with ${proc.returncode}`);
      }
    }

    await using proc = spawn(['sleep', '10']);
    try {
      await proc.communicate({ timeout: 100, signal });
    } catch (error) {
      if (!(error instanceof TimeoutExpired)) throw error;
      proc.terminate();
      await proc.wait({ signal });
    }
    ctx.out(`Exit status ${proc.poll()} (seed: Exit status -15)`);
  },
};

export default demo;

await runIfMain(import.meta.url, demo);
