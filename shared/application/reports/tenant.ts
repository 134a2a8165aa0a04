import { BearerKeys } from '../../platform/auth/bearer-keys.ts';
import type { EarshotConfig } from '../../contracts/schemas/config.ts';

/**
 * Who a reports key belongs to, and so which rows it may see. An advertiser's campaigns are those
 * listed under it, and, as attribution has it, ads the platform sent with its advertiser_id, unless
 * their campaign is listed under another advertiser (`claimed`): a platform's label never opens
 * another advertiser's campaign. A platform's rows are those it reported.
 */
export type Tenant =
  | { kind: 'analyst'; id: string }
  | { kind: 'advertiser'; id: string; campaigns: readonly string[]; claimed: readonly string[] }
  | { kind: 'platform'; id: string };

export type TenantKind = Tenant['kind'];

/** Resolves `Authorization: Bearer <key>` to a tenant, across the three kinds of key. */
export class TenantKeys {
  readonly #platforms: BearerKeys;
  readonly #advertisers: BearerKeys;
  readonly #analysts: BearerKeys;
  readonly #campaigns: Map<string, string[]>;

  constructor(config: Pick<EarshotConfig, 'platforms' | 'advertisers' | 'analysts'>) {
    this.#platforms = new BearerKeys(config.platforms);
    this.#advertisers = new BearerKeys(config.advertisers);
    this.#analysts = new BearerKeys(config.analysts);
    this.#campaigns = new Map(config.advertisers.map((a) => [a.id, (a.campaigns ?? []).map((c) => c.id)]));
  }

  /**
   * The tenant, or undefined for a missing, unknown or ambiguous key. A key listed under two kinds
   * (the configuration check refuses it, but a stale secret could hold one) answers as unknown:
   * guessing a kind could hand it the wider scope.
   */
  tryTenant(authorization: string | undefined): Tenant | undefined {
    const found: Tenant[] = [];
    const analyst = this.#analysts.tryOwner(authorization);
    if (analyst !== undefined) found.push({ kind: 'analyst', id: analyst });
    const advertiser = this.#advertisers.tryOwner(authorization);
    if (advertiser !== undefined) {
      const claimed = [...this.#campaigns].flatMap(([owner, campaigns]) => (owner === advertiser ? [] : campaigns));
      found.push({ kind: 'advertiser', id: advertiser, campaigns: this.#campaigns.get(advertiser) ?? [], claimed });
    }
    const platform = this.#platforms.tryOwner(authorization);
    if (platform !== undefined) found.push({ kind: 'platform', id: platform });
    return found.length === 1 ? found[0] : undefined;
  }
}
