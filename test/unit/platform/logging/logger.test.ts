import { describe, expect, it } from 'vitest';
import { createLogger, tryParseTraceId, type LoggerOptions } from '../../../../shared/platform/logging/logger.ts';

/** A logger whose entries are kept, parsed. */
function recorded(options: LoggerOptions = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ ...options, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

const trace = '105445aa7843bc8bf206b12000100000';

describe('createLogger (Cloud Logging structured JSON)', () => {
  it('writes severity, message, time and fields, one JSON line per entry', () => {
    const { log, lines } = recorded();
    log.info('beacon batch', { accepted: 3, platform: 'p1' });
    log.warn('refused');
    log.error('failed');
    expect(lines).toEqual([
      { severity: 'INFO', message: 'beacon batch', time: expect.any(String), accepted: 3, platform: 'p1' },
      { severity: 'WARNING', message: 'refused', time: expect.any(String) },
      { severity: 'ERROR', message: 'failed', time: expect.any(String) },
    ]);
  });

  it('leaves out entries below the minimum severity', () => {
    const { log, lines } = recorded({ minSeverity: 'WARNING' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    expect(lines.map((l) => l.severity)).toEqual(['WARNING']);
  });

  it('never writes a field that could hold a client address', () => {
    const { log, lines } = recorded();
    const addresses = { ip: '203.0.113.9', client_ip: '203.0.113.9', remote_address: '2001:db8::1', remoteAddress: '2001:db8::1', 'x-forwarded-for': '203.0.113.9', forwarded: 'for=203.0.113.9' };
    log.info('request', { ...addresses, path: '/events' });
    expect(lines[0]).toEqual({ severity: 'INFO', message: 'request', time: expect.any(String), path: '/events' });
  });

  const traces: Array<[string, LoggerOptions, string]> = [
    ['with the project', { project: 'proj-1' }, `projects/proj-1/traces/${trace}`],
    ['without a project (local)', {}, trace],
  ];
  for (const [name, options, expected] of traces) {
    it(`names the trace ${name}`, () => {
      const { log, lines } = recorded(options);
      log.withTrace(trace).info('traced');
      log.withTrace(undefined).info('untraced');
      expect(lines.map((l) => l['logging.googleapis.com/trace'])).toEqual([expected, undefined]);
    });
  }
});

describe('tryParseTraceId', () => {
  const cases: Array<[string, Record<string, string>, string | undefined]> = [
    ['X-Cloud-Trace-Context', { 'x-cloud-trace-context': `${trace}/1;o=1` }, trace],
    ['W3C traceparent', { traceparent: `00-${trace}-00f067aa0ba902b7-01` }, trace],
    ['Cloud Trace over traceparent', { 'x-cloud-trace-context': `${trace}/1`, traceparent: `00-${'f'.repeat(32)}-00f067aa0ba902b7-01` }, trace],
    ['a malformed header', { 'x-cloud-trace-context': 'nope' }, undefined],
    ['no header', {}, undefined],
  ];
  for (const [name, headers, expected] of cases) it(name, () => expect(tryParseTraceId(headers)).toBe(expected));
});
