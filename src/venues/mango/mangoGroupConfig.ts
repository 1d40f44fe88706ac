// Resolves the Mango group and perp market from config: a bundled ids.json group by name,
// or a custom group entry (devnet fork, local validator, test fixture).
import { Config, type GroupConfig, type PerpMarketConfig } from '@blockworks-foundation/mango-client';
import type { MangoConfig } from './mangoConfig.ts';

export interface ResolvedMangoGroup {
  groupConfig: GroupConfig;
  perpConfig: PerpMarketConfig;
}

export function resolveMangoGroup(cfg: Pick<MangoConfig, 'group' | 'groupName' | 'perpMarket'>): ResolvedMangoGroup {
  const groupConfig = cfg.group
    ? new Config({ cluster_urls: {}, groups: [cfg.group] }).groups[0]
    : Config.ids().getGroupWithName(cfg.groupName);
  if (!groupConfig) throw new Error(`mango group not found: ${cfg.group?.name ?? cfg.groupName}`);
  const perpConfig = groupConfig.perpMarkets.find((p) => p.name === cfg.perpMarket);
  if (!perpConfig) throw new Error(`perp market ${cfg.perpMarket} not in mango group ${groupConfig.name}`);
  return { groupConfig, perpConfig };
}
