import { Client } from 'pg';
import { SERVICE_NAMES } from '@shop/contracts';
import { testStack } from '@shop/testkit';

describe('PostgreSQL', () => {
  const urls = testStack().endpoints().databaseUrls;

  it.each(SERVICE_NAMES)('keeps a committed row in the %s database', async (service) => {
    const client = new Client({ connectionString: urls[service] });
    await client.connect();
    try {
      await client.query('CREATE TEMP TABLE roundtrip (id serial PRIMARY KEY, note text NOT NULL)');
      await client.query('BEGIN');
      await client.query('INSERT INTO roundtrip (note) VALUES ($1)', [`hello ${service}`]);
      await client.query('COMMIT');
      const { rows } = await client.query<{ note: string; db: string }>(
        'SELECT note, current_database() AS db FROM roundtrip',
      );
      expect(rows).toEqual([{ note: `hello ${service}`, db: service.replace(/-/g, '_') }]);
    } finally {
      await client.end();
    }
  });
});
