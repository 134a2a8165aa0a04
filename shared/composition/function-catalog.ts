import type { Topic } from '../contracts/ports.ts';

/** HTTP functions, each served at `/<name>/...` locally and at its own URL in the cloud. */
export const httpFunctions = ['beacon', 'verification', 'conversion', 'assign', 'reports'] as const;
export type HttpFunctionName = (typeof httpFunctions)[number];

/** Pub/Sub functions and the topic each one's push subscription reads. */
export const pubsubFunctions = { count: 'beacons', attribute: 'conversions', warehouse: 'facts', cdnlogs: 'cdn_logs', logobjects: 'log_objects' } as const satisfies Record<string, Topic>;
export type PubsubFunctionName = keyof typeof pubsubFunctions;
