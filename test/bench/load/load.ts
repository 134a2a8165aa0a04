import autocannon from 'autocannon';

/** The same load for every server compared (issue 8: ~50 connections, no pipelining, 5-10 s). */
export interface LoadSettings {
  connections: number;
  pipelining: number;
  /** Measured seconds, after a warm-up of a fifth of it (at least one second). */
  durationS: number;
}

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Bodies sent in turn by each connection. */
  bodies?: readonly Buffer[];
  /** Overrides the settings' connections (e.g. fewer for large bodies). */
  connections?: number;
  /** Requests per second over all connections (autocannon's `overallRate`); unset: as fast as answered. */
  rate?: number;
}

export interface LoadResult {
  /** 2xx responses per second. */
  rate: number;
  /** Median latency, ms. */
  p50Ms: number;
  p99Ms: number;
  /** Responses that were not 2xx, plus connection errors and timeouts: must be 0 for a fair figure. */
  failures: number;
  /** 3xx responses (counted in `failures` too), and their rate, for redirects. */
  redirects: number;
  redirectRate: number;
}

function run(request: LoadRequest, settings: LoadSettings, durationS: number): Promise<autocannon.Result> {
  const options: autocannon.Options = {
    url: request.url,
    connections: request.connections ?? settings.connections,
    pipelining: settings.pipelining,
    duration: durationS,
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
  };
  if (request.rate) options.overallRate = request.rate;
  if (request.bodies?.length) options.requests = request.bodies.map((body) => ({ body }));
  return autocannon(options);
}

/** Warms the server up (JIT, caches), then measures it under the given load. */
export async function measureLoad(request: LoadRequest, settings: LoadSettings): Promise<LoadResult> {
  await warmUp(request, settings);
  return measureLoadOnce(request, settings);
}

/** Load for a fifth of the measured duration (at least a second), not measured. */
export async function warmUp(request: LoadRequest, settings: LoadSettings): Promise<void> {
  await run(request, settings, Math.max(1, Math.round(settings.durationS / 5)));
}

/** One measured run, without warming up (for rounds after a first warm-up). */
export async function measureLoadOnce(request: LoadRequest, settings: LoadSettings): Promise<LoadResult> {
  const result = await run(request, settings, settings.durationS);
  return {
    rate: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    redirects: result['3xx'],
    redirectRate: result['3xx'] / result.duration,
  };
}
