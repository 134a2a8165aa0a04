import { escapeForTerminal } from './terminal-text.ts';
import { UsageError } from './usage-error.ts';

interface Command {
  usage: string;
  run: (args: string[]) => Promise<number>;
}

// Each command is loaded only when it runs: `earshot start` loads the whole system (DuckDB, LMDB,
// every function), which `earshot ingest` or `earshot count` should not wait for.
const commands: Record<string, () => Promise<Command>> = {
  start: async () => import('./commands/start.ts').then((m) => ({ usage: m.startUsage, run: m.runStart })),
  query: async () => import('./commands/query.ts').then((m) => ({ usage: m.queryUsage, run: m.runQuery })),
  classify: async () => import('./commands/classify.ts').then((m) => ({ usage: m.classifyUsage, run: m.runClassify })),
  count: async () => import('./commands/count.ts').then((m) => ({ usage: m.countUsage, run: m.runCount })),
  simulate: async () => import('./commands/simulate.ts').then((m) => ({ usage: m.simulateUsage, run: m.runSimulate })),
  report: async () => import('./commands/report.ts').then((m) => ({ usage: m.reportUsage, run: m.runReport })),
  lift: async () => import('./commands/lift.ts').then((m) => ({ usage: m.liftUsage, run: m.runLift })),
  power: async () => import('./commands/power.ts').then((m) => ({ usage: m.powerUsage, run: m.runPower })),
  feeds: async () => import('./commands/feeds.ts').then((m) => ({ usage: m.feedsUsage, run: m.runFeeds })),
  ingest: async () => import('./commands/ingest.ts').then((m) => ({ usage: m.ingestUsage, run: m.runIngest })),
};

async function help(): Promise<string> {
  const loaded = await Promise.all(Object.values(commands).map((load) => load()));
  return ['Usage:', ...loaded.map((c) => `  ${c.usage}`)].join('\n');
}

/** Runs one `earshot` command; bad input exits 2 with a one-line reason on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`earshot: unknown command ${escapeForTerminal(JSON.stringify(name))}; commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(args);
  } catch (err) {
    const isUsage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!isUsage) throw err;
    // The reason may quote input (SQL, a config value): escaped, so it stays one harmless line.
    process.stderr.write(`earshot ${name}: ${escapeForTerminal((err as Error).message.split('\n')[0] ?? '')}\n`);
    return 2;
  }
}
