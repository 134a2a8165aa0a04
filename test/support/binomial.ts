import type { SeededRandom } from '../../cli/simulate/random.ts';

/**
 * A Binomial(n, p) draw from a seeded source by geometric waiting times between successes:
 * O(n p) uniforms, exact, so simulated studies of many households stay fast.
 */
export function drawBinomial(random: SeededRandom, n: number, p: number): number {
  if (p <= 0) return 0;
  const logMiss = Math.log1p(-p);
  let successes = 0;
  let position = 0;
  for (;;) {
    position += Math.floor(Math.log(1 - random.next()) / logMiss) + 1;
    if (position > n) return successes;
    successes++;
  }
}
