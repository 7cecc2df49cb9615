import type { PrismaClient } from './generated/sqlite';

/** The Prisma client's model API; both generated clients share it (the SQLite one types it). */
export type Db = PrismaClient;
export type DbKind = 'sqlite' | 'postgresql';
