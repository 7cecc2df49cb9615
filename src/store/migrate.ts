/**
 * Applies the SQL migrations shipped in prisma/migrations (SQLite) or
 * prisma/postgres/migrations (PostgreSQL), in name order, each in its own transaction, recording
 * them in `_veto_desk_migrations`. Prisma's own `migrate deploy` cannot run here on PostgreSQL
 * (its WASM schema engine fails, prisma/orm#27403) and needs no CLI at start on either.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { DeskError } from '../errors';
import type { Db, DbKind } from './dbKind';

const ROOT = path.join(__dirname, '..', '..', 'prisma');

export function migrationsDir(kind: DbKind): string {
  return kind === 'sqlite' ? path.join(ROOT, 'migrations') : path.join(ROOT, 'postgres', 'migrations');
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(kind: DbKind): Migration[] {
  const dir = migrationsDir(kind);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** Splits a migration into statements: Prisma's generated SQL ends each statement with `;` at line end. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export async function applyMigrations(db: Db, kind: DbKind): Promise<string[]> {
  await db.$executeRawUnsafe(
    'CREATE TABLE IF NOT EXISTS "_veto_desk_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)',
  );
  const applied = new Map(
    (await db.$queryRawUnsafe<{ name: string; checksum: string }[]>('SELECT "name", "checksum" FROM "_veto_desk_migrations"')).map(
      (r) => [r.name, r.checksum],
    ),
  );
  const done: string[] = [];
  for (const m of listMigrations(kind)) {
    const prior = applied.get(m.name);
    if (prior !== undefined) {
      if (prior !== m.checksum) {
        throw new DeskError('MIGRATION_FAILED', `migration ${m.name} was changed after it was applied (checksum differs)`);
      }
      continue;
    }
    try {
      await db.$transaction(async (tx) => {
        if (kind === 'postgresql') {
          // two desks starting together must not both apply the same migration
          await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(7261353)');
          const again = await tx.$queryRawUnsafe<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM "_veto_desk_migrations" WHERE "name" = $1',
            m.name,
          );
          if ((again[0]?.n ?? 0) > 0) return;
        }
        for (const stmt of splitStatements(m.sql)) await tx.$executeRawUnsafe(stmt);
        await tx.$executeRawUnsafe(
          kind === 'postgresql'
            ? 'INSERT INTO "_veto_desk_migrations" ("name", "checksum", "appliedAt") VALUES ($1, $2, $3)'
            : 'INSERT INTO "_veto_desk_migrations" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)',
          m.name,
          m.checksum,
          new Date().toISOString(),
        );
      });
    } catch (e) {
      throw new DeskError('MIGRATION_FAILED', `migration ${m.name} failed: ${(e as Error).message}`, { cause: e });
    }
    done.push(m.name);
  }
  return done;
}
