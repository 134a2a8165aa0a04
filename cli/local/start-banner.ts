import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';

/**
 * The banner lines naming each platform, vendor and advertiser. Their keys and secrets are shown
 * only for a demo config `earshot start` has just made (nobody knows them otherwise); a config the
 * user gave keeps its secrets out of the terminal, its scrollback and any log collecting stderr.
 */
export function describeEndpoints(config: Pick<EarshotConfig, 'platforms' | 'vendors' | 'advertisers' | 'analysts'>, url: string, showSecrets: boolean): string[] {
  const shown = (value: string | undefined, placeholder: string) => (showSecrets && value !== undefined ? value : placeholder);
  return [
    ...config.platforms.map((p) => `  platform ${p.id}: POST ${url}/beacon/events with "Authorization: Bearer ${shown(p.keys[0], '<its key in the config>')}"`),
    ...config.vendors.map((v) => `  vendor ${v.id}: webhook secret ${shown(v.secrets[0], '<in the config>')}`),
    ...config.advertisers.filter((a) => a.keys[0]).map((a) => `  advertiser ${a.id}: key ${shown(a.keys[0], '<in the config>')}`),
    ...config.analysts.map((a) => `  analyst ${a.id}: GET ${url}/reports/v1/delivery?from=...&to=... with "Authorization: Bearer ${shown(a.keys[0], '<its key in the config>')}"`),
  ];
}
