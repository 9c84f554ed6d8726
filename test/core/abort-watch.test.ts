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
