// Prisma CLI configuration. Prisma's native schema engine cannot be downloaded here, so the CLI
// runs its WASM ("js") engine through a driver adapter. The canonical schema is SQLite;
// prisma/postgres/schema.prisma is generated from it (scripts/prisma-gen.js) for PostgreSQL.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

const url = process.env.PRISMA_CLI_SQLITE_URL ?? 'file:./prisma/.cli.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
