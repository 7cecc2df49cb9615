// Prisma CLI configuration. Prisma's native schema engine cannot be downloaded here, so the CLI
// runs its WASM ("js") engine through a driver adapter. The canonical schema is SQLite;
// prisma/postgres/schema.prisma is generated from it (scripts/prisma-gen.js) for PostgreSQL.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

const url = process.env.PRISMA_CLI_SQLITE_URL ?? 'file:./prisma/.cli.db';
// The schemas' datasource URLs are env() references (a URL written in a schema is a secret
// waiting to happen). The clients never read them (the desk hands them an adapter), but the CLI
// resolves them for every command, and for the canonical schema first whatever --schema says:
// placeholders, unless set.
process.env.PRISMA_SCHEMA_DATABASE_URL ??= url;
process.env.PRISMA_SCHEMA_POSTGRES_URL ??= 'postgresql://localhost/unused';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
