import { codyErfc } from '../../domain/lift/normal.ts';

/** CALERF's polynomial loop as SQL: `r = lead * v`, then `r = (r + c) * v` for each coefficient. */
function hornerSql(variable: string, lead: number, coefficients: readonly number[]): string {
  return coefficients.reduce((sql, c) => `(${sql} + ${c}) * ${variable}`, `${lead} * ${variable}`);
}

/** exp(-y²) as CALERF computes it: y split at sixteenths, so rounding y*y stays out of the exponent. */
function expMinusSquareSql(y: string): string {
  const head = `(TRUNC(16 * ${y}) / 16)`;
  return `EXP(-${head} * ${head}) * EXP(-(${y} - ${head}) * (${y} + ${head}))`;
}

/**
 * erfc(y) for a non-negative SQL expression `y` (a column name: it is repeated), by the same Cody
 * approximation and coefficients as `computeErfc` in shared/domain/lift/normal.ts, so a p-value computed
 * in a view agrees with `earshot lift` to rounding. Plain SQL: BigQuery and DuckDB alike. BigQuery
 * evaluates only the taken CASE branch, so the large-y branch never divides by zero.
 */
export function computeErfcSql(y: string): string {
  const { small, middle, large } = codyErfc;
  const ysq = `(${y} * ${y})`;
  const inverseSq = `(1 / (${y} * ${y}))`;
  const [a0, a1, a2, a3, a4] = small.a;
  const [b0, b1, b2, b3] = small.b;
  const smallNum = hornerSql(ysq, a4, [a0, a1, a2]);
  const smallDen = hornerSql(ysq, 1, [b0, b1, b2]);
  const middleNum = hornerSql(y, middle.c[8], middle.c.slice(0, 7));
  const middleDen = hornerSql(y, 1, middle.d.slice(0, 7));
  const largeNum = hornerSql(inverseSq, large.p[5], large.p.slice(0, 4));
  const largeDen = hornerSql(inverseSq, 1, large.q.slice(0, 4));
  return [
    'CASE',
    `  WHEN ${y} <= ${codyErfc.smallMax} THEN 1 - ${y} * (${smallNum} + ${a3}) / (${smallDen} + ${b3})`,
    `  WHEN ${y} <= ${codyErfc.middleMax} THEN ${expMinusSquareSql(y)} * (${middleNum} + ${middle.c[7]}) / (${middleDen} + ${middle.d[7]})`,
    `  WHEN ${y} < ${codyErfc.underflow} THEN ${expMinusSquareSql(y)} * (${codyErfc.oneOverSqrtPi} - ${inverseSq} * (${largeNum} + ${large.p[4]}) / (${largeDen} + ${large.q[4]})) / ${y}`,
    '  ELSE 0',
    'END',
  ].join('\n');
}
