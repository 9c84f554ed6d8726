import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/core/errors.js';
import { formatCommand } from '../../src/subprocess/arguments/command.js';
import { CalledProcessError, CompletedProcess, SubprocessError, TimeoutExpired } from '../../src/subprocess/index.js';

describe('subprocess errors', () => {
  it('print the command as a shell would read it back', () => {
    expect(formatCommand(['openssl', 'dgst', '-whirlpool', '-binary'])).toBe('openssl dgst -whirlpool -binary');
    expect(formatCommand(['sh', '-c', "echo it's; exit 3"])).toBe(`sh -c 'echo it'\\''s; exit 3'`);
    expect(formatCommand(['echo', ''])).toBe("echo ''");
  });

  it('TimeoutExpired is a TimeoutError with the template message and partial output', () => {
    const error = new TimeoutExpired(['openssl', 'dgst'], 1000, 'out', 'err');
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ name: 'TimeoutExpired', message: 'Command timed out after 1000 milliseconds: openssl dgst', stdout: 'out', stderr: 'err', timeout: 1000 });
  });

  it('CalledProcessError words exit codes and signals', () => {
    expect(new CalledProcessError(['false'], 1, '', '').message).toBe('Command failed with exit code 1: false');
    expect(new CalledProcessError(['sleep', '10'], -9, '', '').message).toBe('Command was killed with SIGKILL: sleep 10');
    expect(new CalledProcessError(['x'], -99, '', '').message).toBe('Command was killed with signal 99: x');
  });

  it('CompletedProcess.checkReturncode throws a fresh CalledProcessError each time', () => {
    const result = new CompletedProcess(['false'], 1, 'o', 'e');
    const errors = [0, 1].map(() => {
      try {
        result.checkReturncode();
      } catch (error) {
        return error;
      }
      return undefined;
    });
    expect(errors[0]).toBeInstanceOf(CalledProcessError);
    expect(errors[0]).not.toBe(errors[1]);
    expect(() => new CompletedProcess(['true'], 0, '', '').checkReturncode()).not.toThrow();
  });

  it('SubprocessError keeps argv, code and cause', () => {
    const cause = new Error('spawn x ENOENT');
    const error = new SubprocessError('command not found: x', ['x'], 'ENOENT', { cause });
    expect(error).toMatchObject({ name: 'SubprocessError', argv: ['x'], code: 'ENOENT', cause });
  });
});
