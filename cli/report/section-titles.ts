import type { ReportData } from './report-data.ts';

/** Each section's heading, in the order the report shows them. */
export const sectionTitles: Record<keyof ReportData, string> = {
  delivery: 'Delivery per day',
  geography: 'Downloads per country (from the IP at intake)',
  excluded: 'Excluded traffic: data centres and volume anomalies',
  reach: 'Reach and frequency per campaign',
  discrepancy: 'First- and third-party discrepancy per campaign and vendor',
  attribution: 'Attribution per campaign',
  lift: 'Lift per holdout study and comparison',
  liftDaily: 'Daily lift with its always-valid confidence sequence, and power',
};
