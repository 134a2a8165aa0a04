import { countUsage, runCount } from './commands/count.ts';
import { liftUsage, runLift } from './commands/lift.ts';
import { powerUsage, runPower } from './commands/power.ts';
import { classifyUsage, runClassify } from './commands/classify.ts';
import { queryUsage, runQuery } from './commands/query.ts';
import { reportUsage, runReport } from './commands/report.ts';
import { runSimulate, simulateUsage } from './commands/simulate.ts';
import { runStart, startUsage } from './commands/start.ts';
import { escapeForTerminal } from './terminal-text.ts';
import { feedsUsage, runFeeds } from './commands/feeds.ts';
import { ingestUsage, runIngest } from './commands/ingest.ts';
import { UsageError } from './usage-error.ts';

const commands: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  start: { usage: startUsage, run: runStart },
  query: { usage: queryUsage, run: runQuery },
  classify: { usage: classifyUsage, run: runClassify },
  count: { usage: countUsage, run: runCount },
  simulate: { usage: simulateUsage, run: runSimulate },
  report: { usage: reportUsage, run: runReport },
  lift: { usage: liftUsage, run: runLift },
  power: { usage: powerUsage, run: runPower },
  feeds: { usage: feedsUsage, run: runFeeds },
  ingest: { usage: ingestUsage, run: runIngest },
};

const help = ['Usage:', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n');

/** Runs one `earshot` command; bad input exits 2 with a one-line reason on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`earshot: unknown command ${escapeForTerminal(JSON.stringify(name))}; commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
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
