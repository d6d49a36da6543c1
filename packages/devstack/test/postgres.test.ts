import { Client } from 'pg';
import { SERVICE_NAMES } from '@shop/contracts';
import { testStack, uniqueName } from '@shop/testkit';

describe('PostgreSQL', () => {
  const urls = testStack().endpoints().databaseUrls;

  it.each(SERVICE_NAMES)('keeps a committed row in the %s database', async (service) => {
    // Written and committed on one connection, read back on another: the row is durable in
    // that service's own database, not a session's temporary state.
    const table = uniqueName('roundtrip').replace(/-/g, '_');
    const writer = new Client({ connectionString: urls[service] });
    const reader = new Client({ connectionString: urls[service] });
    await writer.connect();
    await reader.connect();
    try {
      await writer.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, note text NOT NULL)`);
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO ${table} (note) VALUES ($1)`, [`hello ${service}`]);
      expect((await reader.query(`SELECT note FROM ${table}`)).rows).toEqual([]);
      await writer.query('COMMIT');
      const { rows } = await reader.query<{ note: string; db: string }>(
        `SELECT note, current_database() AS db FROM ${table}`,
      );
      expect(rows).toEqual([{ note: `hello ${service}`, db: service.replace(/-/g, '_') }]);
    } finally {
      await writer.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await writer.end();
      await reader.end();
    }
  });
});
