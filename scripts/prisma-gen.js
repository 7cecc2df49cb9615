#!/usr/bin/env node
// A Prisma schema has one provider. The canonical schema is SQLite (prisma/schema.prisma); this
// writes the PostgreSQL copy (prisma/postgres/schema.prisma) with the same models, then
// `prisma generate` builds one client per provider (see package.json "prisma:generate").
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const src = fs.readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
const out = src
  .replace('// Veto Desk database schema: the canonical (SQLite) copy.', '// GENERATED from prisma/schema.prisma by scripts/prisma-gen.js: do not edit.\n// Veto Desk database schema, PostgreSQL copy.')
  .replace('output     = "../src/store/generated/sqlite"', 'output     = "../../src/store/generated/postgresql"')
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('env("PRISMA_SCHEMA_DATABASE_URL")', 'env("PRISMA_SCHEMA_POSTGRES_URL")');
if (out === src) throw new Error('prisma-gen: nothing replaced');
fs.mkdirSync(path.join(root, 'prisma', 'postgres'), { recursive: true });
fs.writeFileSync(path.join(root, 'prisma', 'postgres', 'schema.prisma'), out);
