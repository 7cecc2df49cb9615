/**
 * `GET /api/dev/accounts`: the seeded committee owners' keys, so a newcomer can sign on the local
 * devnet without a wallet. Only when the desk runs its own embedded devnet (anvil's public dev
 * keys, worthless anywhere else); every other desk answers 404.
 */
import type { Express } from 'express';
import { DeskError } from '../errors';
import type { DevAccountsView, DevAccountView } from './views';

export type { DevAccountView };

export function registerDevSignerRoutes(app: Express, accounts: readonly DevAccountView[] | undefined): void {
  app.get('/api/dev/accounts', (_req, res) => {
    if (!accounts || accounts.length === 0) throw new DeskError('NOT_FOUND', 'no dev signer: this desk does not run the embedded local devnet');
    const body: DevAccountsView = { devnet: true, warning: "anvil's public development keys: for the local devnet only, never for real funds", accounts: [...accounts] };
    res.json(body);
  });
}
