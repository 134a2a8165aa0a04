/**
 * A shared vocabulary for why traffic is invalid, after the MRC Invalid Traffic Detection and
 * Filtration Guidelines' examples. Vendors may send their own reason strings; adapters map vendor
 * codes onto these where one fits, so analysts can compare vendors.
 */
export const mrcIvtReasons = {
  givt: ['data_center', 'known_crawler', 'irregular_pattern', 'unknown_user_agent', 'prefetch'],
  sivt: [
    'automated_listening',
    'hijacked_device',
    'hijacked_session',
    'adware_malware',
    'incentive_manipulation',
    'falsified_measurement',
    'app_spoofing',
    'manipulated_location',
  ],
} as const;

export type MrcIvtReason = (typeof mrcIvtReasons)[keyof typeof mrcIvtReasons][number];
