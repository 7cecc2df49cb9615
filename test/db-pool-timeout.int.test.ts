/**
 * On PostgreSQL the desk's hot reads go through its own `pg` pool (src/store/database.ts). When
 * every connection is taken for longer than the pool waits, the request fails with pg-pool's own
 * error; the API must answer it 503 DATABASE_ERROR with Retry-After (the client may retry), as it
 * answers Prisma's pool timeout, never a 500. The error here is the real one, from a real pool.
 */
import { Pool } from 'pg';
import request from 'supertest';
import { expectError, fakeReadModel, setup } from './helpers/apiApp';
import { createTestDatabase, type TestDatabase } from './helpers/databases';

describe('a read that finds every PostgreSQL connection taken', () => {
  let tdb: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    tdb = await createTestDatabase('postgresql');
    pool = new Pool({ connectionString: tdb.url, max: 1, connectionTimeoutMillis: 200 });
  });
  afterAll(async () => {
    await pool?.end();
    await tdb?.drop();
  });

  it('is answered 503 DATABASE_ERROR with Retry-After, not 500', async () => {
    const held = await pool.connect();
    try {
      const waited = await pool.query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      // the pool's own words, which the API recognises
      expect((waited as Error).message).toMatch(/timeout exceeded when trying to connect/);
      const { readModel } = fakeReadModel();
      const { app, logs } = setup({ readModel: { ...readModel, getRequest: () => pool.query('SELECT 1').then(() => null) } });
      const res = await request(app).get('/api/requests/1').expect(503);
      expectError(res.body, 'DATABASE_ERROR');
      expect(res.headers['retry-after']).toBe('5');
      expect(logs.some((l) => l.msg === 'unhandled error')).toBe(false);
    } finally {
      held.release();
    }
    // the connection back: the same read is answered
    await expect(pool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });
});
