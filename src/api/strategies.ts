/** `GET /api/strategies?address=0x…,0x…`: each strategy's underlying token and its symbol, when readable. */
import type { Express } from 'express';
import { getAddress, isAddress, type Address } from 'viem';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { StrategyTokensView, StrategyTokenView } from './views';

export type { StrategyTokenView };

export interface StrategiesApi {
  read(strategies: readonly Address[]): Promise<StrategyTokenView[]>;
}

const MAX = 50;
const query = z.union([z.string(), z.array(z.string())]);

export function registerStrategyRoutes(app: Express, api: StrategiesApi | undefined): void {
  app.get('/api/strategies', async (req, res) => {
    const parsed = query.safeParse(req.query.address);
    const list = parsed.success ? [parsed.data].flat().flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) : [];
    const bad = list.find((a) => !isAddress(a, { strict: false }));
    if (!parsed.success || list.length === 0 || list.length > MAX || bad !== undefined) {
      throw new DeskError('BAD_REQUEST', `address must be 1 to ${MAX} comma-separated strategy addresses${bad !== undefined ? ` (not an address: ${JSON.stringify(bad.slice(0, 60))})` : ''}`);
    }
    const unique = [...new Set(list.map((a) => getAddress(a)))];
    const body: StrategyTokensView = { strategies: api ? (await api.read(unique)).map(({ strategy, token, symbol }) => ({ strategy, token, symbol })) : unique.map((strategy) => ({ strategy, token: null, symbol: null })) };
    res.json(body);
  });
}
