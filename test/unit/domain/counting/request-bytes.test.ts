import { describe, expect, it } from 'vitest';
import { endOfFile } from '../../../../shared/domain/counting/byte-ranges.ts';
import { isFirstTwoBytesProbe } from '../../../../shared/domain/counting/range-header.ts';
import { computeMinimumBytes, computeServedBytes } from '../../../../shared/domain/counting/request-bytes.ts';

describe('computeServedBytes', () => {
  const cases: Array<[string, Parameters<typeof computeServedBytes>[0], { start: number; end: number } | undefined]> = [
    ['a 200 with the size', { file_size: 1000 }, { start: 0, end: 999 }],
    ['a 200 with bytes sent only (a full response)', { bytes_sent: 1000 }, { start: 0, end: 999 }],
    ['a 200 cut short', { file_size: 1000, bytes_sent: 400 }, { start: 0, end: 399 }],
    ['a 200 with nothing known', {}, { start: 0, end: endOfFile }],
    ['a 206 range', { status: 206, range: 'bytes=100-199', file_size: 1000 }, { start: 100, end: 199 }],
    ['a 206 open range, bytes sent', { status: 206, range: 'bytes=100-', bytes_sent: 50 }, { start: 100, end: 149 }],
    ['a 200 that ignored the range', { status: 200, range: 'bytes=100-199', file_size: 1000 }, { start: 0, end: 999 }],
    ['zero bytes sent', { bytes_sent: 0, file_size: 1000 }, undefined],
    ['an unsatisfiable range', { status: 206, range: 'bytes=5000-', file_size: 1000 }, undefined],
  ];
  for (const [name, record, expected] of cases) it(name, () => expect(computeServedBytes(record)).toEqual(expected));
});

describe('computeMinimumBytes (one minute of audio)', () => {
  const cases: Array<[string, Parameters<typeof computeMinimumBytes>[0], number]> = [
    ['from size and duration', { file_size: 60_000_000, duration_s: 3600 }, 1_000_000],
    ['minus the ID3 header', { file_size: 60_001_000, duration_s: 3600, id3_size: 1000 }, 1_001_000],
    ['from the bitrate', { bitrate_kbps: 128 }, 960_000],
    ['from the bitrate plus ID3', { bitrate_kbps: 128, id3_size: 500 }, 960_500],
    ['the bitrate when duration is unknown', { file_size: 50_000_000, bitrate_kbps: 64 }, 480_000],
    ['the whole file otherwise', { file_size: 5_000_000 }, 5_000_000],
    ['the whole file under a minute', { file_size: 400_000, duration_s: 45, bitrate_kbps: 128 }, 400_000],
    ['never more than the file', { file_size: 500_000, bitrate_kbps: 128 }, 500_000],
    ['the unknown whole file', {}, endOfFile],
  ];
  for (const [name, record, expected] of cases) it(name, () => expect(computeMinimumBytes(record)).toBe(expected));
});

describe('isFirstTwoBytesProbe', () => {
  for (const [range, probe] of [['bytes=0-1', true], ['bytes= 0-1', true], ['bytes=0-2', false], ['bytes=0-', false], [undefined, false]] as const) {
    it(`${range}: ${probe}`, () => expect(isFirstTwoBytesProbe(range)).toBe(probe));
  }
});
