import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCountingEngine } from './counting-engine.bench.ts';
import { report } from './report.ts';

// `npm run bench [-- --size N]`: every benchmark, as ratios against baselines measured in the same run.
const { values } = parseArgs({ options: { size: { type: 'string', default: '1000000' } } });
const results = [...benchCountingEngine(Number(values.size))];
report(results, fileURLToPath(new URL('results/latest.json', import.meta.url)));
