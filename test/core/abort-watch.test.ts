import { describe, expect, it } from 'vitest';
import { unwatchAbort, watchAbort } from '../../src/core/abort-watch.js';
import { Deadline } from '../../src/core/deadline.js';
import { abortListeners } from '../helpers.js';

describe('watchAbort', () => {
  it('shares one listener among all watchers and removes it with the last', () => {
    const controller = new AbortController();
    const watchers = Array.from({ length: 50 }, () => watchAbort(controller.signal, () => {}));
    expect(abortListeners(controller.signal)).toBe(1);
    for (const watcher of watchers.slice(0, 49)) unwatchAbort(watcher);
    expect(abortListeners(controller.signal)).toBe(1);
    unwatchAbort(watchers[49]!);
    unwatchAbort(watchers[49]!);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('keeps each signal\'s list right while watches alternate between signals, end and start again', () => {
    const a = new AbortController();
    const b = new AbortController();
    const calls: string[] = [];
    const a1 = watchAbort(a.signal, () => calls.push('a1'));
    const b1 = watchAbort(b.signal, () => calls.push('b1'));
    const a2 = watchAbort(a.signal, () => calls.push('a2'));
    unwatchAbort(a1);
    unwatchAbort(a2);
    expect(abortListeners(a.signal)).toBe(0);
    watchAbort(a.signal, () => calls.push('a3')); // a fresh list, with its own listener
    expect(abortListeners(a.signal)).toBe(1);
    a.abort();
    unwatchAbort(b1);
    expect(abortListeners(b.signal)).toBe(0);
    const b2 = watchAbort(b.signal, () => calls.push('b2'));
    b.abort();
    expect(calls).toEqual(['a3', 'b2']);
    unwatchAbort(b2);
  });

  it('calls watchers oldest first, once, skipping those a callback unwatched', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    watchAbort(controller.signal, () => {
      calls.push('a');
      unwatchAbort(c);
    });
    watchAbort(controller.signal, () => calls.push('b'));
    const c = watchAbort(controller.signal, () => calls.push('c'));
    watchAbort(controller.signal, () => calls.push('d'));
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['a', 'b', 'd']);
    expect(abortListeners(controller.signal)).toBe(0);
  });

  it('keeps one listener for 10,000 deadlines on one signal, with no leak warning', () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const deadlines = Array.from({ length: 10_000 }, () => new Deadline({ signal: controller.signal }, 'op'));
      expect(abortListeners(controller.signal)).toBe(1);
      const reason = new Error('all of them');
      controller.abort(reason);
      expect(deadlines.every((deadline) => deadline.signal.reason === reason)).toBe(true);
      expect(abortListeners(controller.signal)).toBe(0);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
