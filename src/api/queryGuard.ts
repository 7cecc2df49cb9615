/**
 * Query strings are read one way: `name=value`, a name repeated or values separated by commas
 * where a route takes several. A name written with brackets (`status[]=…`, `limit[x]=…`, the
 * form other frameworks read as lists or objects) is refused rather than ignored: ignored, a
 * filter the caller meant to set would silently not apply and the answer would look like one.
 * A `limit` is digits only: `1e2` or `0x10` read as a number would be a guess.
 */
import type { RequestHandler } from 'express';
import { DeskError } from '../errors';

export const queryGuard: RequestHandler = (req, _res, next) => {
  const q = req.query as Record<string, unknown>;
  for (const name of Object.keys(q)) {
    if (name.includes('[')) throw new DeskError('BAD_REQUEST', `query parameter ${JSON.stringify(name.slice(0, 60))} is not read: write ${name.split('[')[0]!.slice(0, 40)}=a,b or repeat the parameter (no brackets)`);
  }
  if (q.limit !== undefined && !(typeof q.limit === 'string' && /^\d{1,7}$/.test(q.limit))) throw new DeskError('BAD_REQUEST', 'limit must be written in decimal digits (e.g. limit=100)');
  next();
};
