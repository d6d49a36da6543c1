// The init container of a service on the release's own PostgreSQL (database.cloudnativepg): run
// with `node -e` in the service's image (node and pg, nothing else), it returns once DATABASE_URL
// answers as the service's role on its database. Until CloudNativePG has the Cluster, the role and
// the Database up, the service would exit on its migrations, which skaffold's status check takes
// for a failed deployment.
/* global process, console, setTimeout */
const { Client } = require('pg');

const RETRY_MS = 2000;

async function answers() {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (e) {
    console.log(`waiting for the database: ${e.message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

(async () => {
  while (!(await answers())) await new Promise((r) => setTimeout(r, RETRY_MS));
  console.log('the database answers');
})();
