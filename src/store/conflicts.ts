import { DeskError } from '../errors';

/** Another desk wrote the same rows or moved the checkpoint first (standby desks share the database). */
export function isWriteConflict(e: unknown): boolean {
  if (e instanceof DeskError) return e.code === 'INGEST_CONFLICT';
  const code = (e as { code?: string } | null)?.code;
  // Prisma: P2002 unique violation (the same event), P2034 write conflict / serialization
  // failure; PostgreSQL itself (the store's own connection): 23505 unique violation, 40001
  // serialization failure, 40P01 deadlock
  return (
    code === 'P2002' ||
    code === 'P2034' ||
    code === '23505' ||
    code === '40001' ||
    code === '40P01' ||
    /SQLITE_BUSY|database is locked/i.test(String((e as Error | null)?.message ?? ''))
  );
}
