import { parseLogResult, parseReport } from '../../src/power-tuning/contract/report-line';

const TEXT_REPORT =
  'START RequestId: 6f7f0961 Version: 3\nhello\nEND RequestId: 6f7f0961\n' +
  'REPORT RequestId: 6f7f0961\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\tInit Duration: 150.25 ms\t\n';

const jsonLine = (metrics: Record<string, number>, status = 'success') =>
  JSON.stringify({ time: '2026-01-01T00:00:00Z', type: 'platform.report', record: { requestId: 'r', metrics, status } });

describe('REPORT parsing', () => {
  test('text format: duration, billed duration, memory and init duration', () => {
    expect(parseReport(TEXT_REPORT)).toEqual({
      durationMs: 12.34,
      billedDurationMs: 13,
      initDurationMs: 150.25,
      memorySizeMb: 256,
      maxMemoryUsedMb: 70,
      status: undefined,
    });
  });

  test('text format without init duration (a warm invocation) and with a timeout status', () => {
    const warm = parseReport('REPORT RequestId: x\tDuration: 1.01 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t');
    expect(warm?.initDurationMs).toBeUndefined();
    expect(warm?.billedDurationMs).toBe(2);
    const timedOut = parseReport('REPORT RequestId: x\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout');
    expect(timedOut?.status).toBe('timeout');
  });

  test('JSON format, with a cut-off first line in the 4 KB tail', () => {
    const log = [
      'ut-off fragment of an earlier line"}',
      JSON.stringify({ level: 'INFO', message: 'hi' }),
      jsonLine({ durationMs: 20.5, billedDurationMs: 21, memorySizeMB: 512, maxMemoryUsedMB: 80 }),
    ].join('\n');
    expect(parseReport(log)).toEqual({
      durationMs: 20.5, billedDurationMs: 21, initDurationMs: undefined, memorySizeMb: 512, maxMemoryUsedMb: 80, status: undefined,
    });
    expect(parseReport(jsonLine({ durationMs: 5, billedDurationMs: 5, initDurationMs: 99.5 }, 'timeout'))).toMatchObject({ initDurationMs: 99.5, status: 'timeout' });
  });

  test('base64 LogResult as Invoke returns it', () => {
    expect(parseLogResult(Buffer.from(TEXT_REPORT).toString('base64'))?.billedDurationMs).toBe(13);
  });

  test('no REPORT record gives undefined', () => {
    expect(parseLogResult(undefined)).toBeUndefined();
    expect(parseReport('START RequestId: x\nsome output\n')).toBeUndefined();
    expect(parseReport('{"type":"platform.report","record":{"metrics":{}}}')).toBeUndefined();
  });
});
