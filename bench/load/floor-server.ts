// The floor of bench/load: a bare HTTP server doing one parameterised INSERT with node-postgres per request into
// the same Postgres. What any app on this machine could at best do per request; Pairwise's figures are read
// against it, measured in the same run.
import http from "node:http";
import pg from "pg";

const port = Number(process.argv[2]);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function main() {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS floor_event (id bigserial PRIMARY KEY, who text NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  );
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8") || "{}";
      pool
        .query(`INSERT INTO floor_event (who, body) VALUES ($1, $2) RETURNING id`, [req.headers.authorization ?? "", body])
        .then(({ rows }) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ id: rows[0].id }));
        })
        .catch((error: Error) => {
          res.writeHead(500);
          res.end(error.message);
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
}

void main();
