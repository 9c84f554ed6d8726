import { describe, expect, it } from 'vitest';
import { idleCommand } from '../../src/cli/commands/idle.js';
import { abortListeners, activeTimers, flush, settle } from '../helpers.js';

describe('loom idle', () => {
  it('prints ready, waits for the signal, rejects with its reason and cleans up', async () => {
    const lines: string[] = [];
    const controller = new AbortController();
    const timersBefore = activeTimers();
    const running = settle(idleCommand.run({ positionals: [], values: {}, out: (line) => lines.push(line), err: () => {}, signal: controller.signal }));
    await flush();
    expect(lines).toEqual(['ready']);
    expect(activeTimers()).toBe(timersBefore + 1);
    const reason = new Error('Interrupted by SIGINT');
    controller.abort(reason);
    expect(await running).toEqual({ ok: false, error: reason });
    expect(lines).toEqual(['ready', 'stopped']);
    expect(activeTimers()).toBe(timersBefore);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('stops at once when the signal is already aborted', async () => {
    const lines: string[] = [];
    const reason = new Error('early');
    const result = await settle(idleCommand.run({ positionals: [], values: {}, out: (line) => lines.push(line), err: () => {}, signal: AbortSignal.abort(reason) }));
    expect(result).toEqual({ ok: false, error: reason });
    expect(lines).toEqual(['ready', 'stopped']);
  });
});
