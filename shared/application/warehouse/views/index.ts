import type { ViewDefinition } from '../dialect.ts';
import { attributionSummary } from './attribution.ts';
import { deliveryDaily, deliveryHourly } from './delivery.ts';
import { reachGeography } from './geography.ts';
import { liftDaily } from './lift-daily.ts';
import { liftResults } from './lift.ts';
import { reachFrequency } from './reach.ts';
import { trafficAnomalies } from './traffic-anomalies.ts';
import { verificationDiscrepancy } from './verification.ts';

/** Every warehouse view, in creation order (a view may read the ones before it). */
export const views: readonly ViewDefinition[] = [deliveryHourly, deliveryDaily, reachFrequency, verificationDiscrepancy, attributionSummary, liftResults, liftDaily, reachGeography, trafficAnomalies];
