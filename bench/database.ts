import { Client } from 'pg';

/** A fresh database beside `anyDatabaseUrl` on the same server; an old one of that name is dropped. */
export async function freshDatabase(anyDatabaseUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: anyDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return anyDatabaseUrl.replace(/\/[^/]+$/, `/${name}`);
}
