#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary.
//
// The Prisma CLI downloads `schema-engine` from Prisma's CDN, which is not
// reachable here. `prisma.config.ts` points PRISMA_SCHEMA_ENGINE_BINARY at this
// script instead. It speaks the same protocol as the native binary:
//
//   schema-engine.mjs [--datamodels FILE]... [--datasource JSON]
//       JSON-RPC 2.0 server, one JSON object per line on stdin/stdout.
//   schema-engine.mjs --datasource JSON cli can-connect-to-database|create-database|drop-database
//       one-shot; exit 1 with a JSON log line on stderr on failure.
//   schema-engine.mjs --version
//
// and does the work with the official `@prisma/schema-engine-wasm` build over
// `@prisma/adapter-pg` (PostgreSQL only). Works against real PostgreSQL and
// against PGlite served by `pglite-server`.
//
// Set PRISMA_SCHEMA_ENGINE_SHIM_DEBUG=1 to log RPC traffic and engine logs to stderr.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createHash, randomUUID } from "node:crypto";
import readline from "node:readline";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const DEBUG = /^(1|true|yes)$/i.test(process.env.PRISMA_SCHEMA_ENGINE_SHIM_DEBUG ?? "");

// stdout is the RPC channel: anything else printed there would corrupt it.
for (const level of ["log", "info", "debug"]) console[level] = console.error;

// ---------------------------------------------------------------------------
// Logging. The CLI reads stderr lines as tracing JSON
// ({"level","fields":{"message",...},"target"}) and shows the ERROR ones when
// the engine exits unexpectedly, so we log in that shape.

function logLine(level, message, fields = {}, target = "schema_engine") {
  process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target }) + "\n");
}
const debug = (...args) => {
  if (DEBUG) process.stderr.write(`[schema-engine-shim] ${args.join(" ")}\n`);
};

// ---------------------------------------------------------------------------
// Arguments.

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === "--datamodels" || arg === "-d") out.datamodels.push(next());
    else if (arg.startsWith("--datamodels=")) out.datamodels.push(arg.slice(13));
    else if (arg === "--datasource") out.datasource = JSON.parse(next());
    else if (arg.startsWith("--datasource=")) out.datasource = JSON.parse(arg.slice(13));
    else if (arg === "--enabled-preview-features" || arg === "--extension-types")
      next(); // not supported by the wasm engine
    else if (arg === "--version" || arg === "-V") out.version = true;
    else if (arg === "cli") {
      out.cli = argv[i + 1];
      break;
    } else debug(`ignoring argument ${arg}`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Connection strings.

function parseUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw userError("P1013", "The provided database string is invalid. The URL could not be parsed.");
  }
  if (!/^postgres(ql)?:$/.test(u.protocol)) {
    throw userError("P1013", `The provided database string is invalid. This schema engine only supports postgresql:// URLs (got \`${u.protocol}\`).`);
  }
  const host = u.searchParams.get("host") ?? (decodeURIComponent(u.hostname) || "localhost");
  const port = u.port || "5432";
  const user = decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || "postgres";
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || user;
  const schema = u.searchParams.get("schema") ?? "public";
  return { url: u, host, port, user, database, schema, location: `${host}:${port}` };
}

// `pg` lets values parsed from `connectionString` override explicit fields such
// as `database` (adapter-pg's connectToShadowDb relies on the opposite and ends
// up on the main database). So to reach another database on the same server we
// rewrite the URL itself.
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}

// Prisma-specific query parameters (`schema`, `connection_limit`, ...) mean
// nothing to `pg`. `?schema=` is handed to the adapter, and, as the native
// engine does, made the search_path so that migration scripts with unqualified
// names land in that schema.
function pgConfig(url) {
  const u = new URL(url);
  const schema = u.searchParams.get("schema");
  for (const key of ["schema", "connection_limit", "pool_timeout", "connect_timeout", "socket_timeout", "pgbouncer", "statement_cache_size"]) {
    u.searchParams.delete(key);
  }
  const config = { connectionString: u.toString(), connectionTimeoutMillis: 10_000 };
  if (schema && schema !== "public") config.options = `-c search_path=${quoteIdent(schema)}`;
  return config;
}

const quoteIdent = (name) => `"${String(name).replaceAll('"', '""')}"`;

// ---------------------------------------------------------------------------
// Errors.

class UserFacingError extends Error {
  constructor(code, message, meta = {}) {
    super(message);
    this.code = code;
    this.meta = meta;
  }
}
const userError = (code, message, meta) => new UserFacingError(code, message, meta);

// prisma.config.ts uses this database name in a placeholder URL when
// DATABASE_URL is unset (so that `prisma generate` works without a database).
const UNSET_URL_DATABASE = "DATABASE_URL_is_not_set";

// Translate errors from `pg` (connection phase) into Prisma's P1xxx codes.
function connectionError(err, info) {
  if (info.database === UNSET_URL_DATABASE) {
    return userError("P1013", "DATABASE_URL is not set. Set it (e.g. in .env) to the PostgreSQL database to use.");
  }
  const code = err?.code;
  if (
    code === "ECONNREFUSED" ||
    code === "ENOTFOUND" ||
    code === "EHOSTUNREACH" ||
    code === "ETIMEDOUT" ||
    code === "ECONNRESET" ||
    /timeout/i.test(err?.message ?? "")
  ) {
    return userError(
      "P1001",
      `Can't reach database server at \`${info.location}\`\n\nPlease make sure your database server is running at \`${info.location}\`.`,
      { database_host: info.host, database_port: info.port },
    );
  }
  if (code === "3D000") {
    return userError("P1003", `Database \`${info.database}\` does not exist on the database server at \`${info.location}\`.`, {
      database_name: info.database,
      database_location: info.location,
    });
  }
  if (code === "28P01" || code === "28000") {
    return userError(
      "P1000",
      `Authentication failed against database server at \`${info.host}\`, the provided database credentials for \`${info.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${info.host}\`.`,
      { database_user: info.user, database_host: info.host },
    );
  }
  if (err instanceof UserFacingError) return err;
  return new Error(err?.message ?? String(err));
}

// Adapter errors surface inside the engine as `{ kind: ... }` objects; map the
// connection-related kinds back to the codes the native engine would use.
function adapterKindError(kind, info) {
  switch (kind?.kind) {
    case "DatabaseNotReachable":
      return connectionError({ code: "ECONNREFUSED" }, info);
    case "DatabaseDoesNotExist":
      return connectionError({ code: "3D000" }, info);
    case "AuthenticationFailed":
    case "DatabaseAccessDenied":
      return connectionError({ code: "28P01" }, info);
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------
// Plain `pg` helpers for the operations the wasm engine does not offer.

async function withClient(url, fn) {
  const pg = (await import("pg")).default;
  const info = parseUrl(url);
  const client = new pg.Client(pgConfig(url));
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw connectionError(err, info);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

// A connection to the same server but to a maintenance database, for
// CREATE/DROP DATABASE.
async function withAdminClient(url, fn) {
  const { database } = parseUrl(url);
  let lastError;
  for (const candidate of ["postgres", "template1"]) {
    if (candidate === database) continue;
    try {
      return await withClient(withDatabase(url, candidate), fn);
    } catch (err) {
      if (err?.code !== "P1003") throw err;
      lastError = err;
    }
  }
  throw lastError;
}

async function canConnect(url) {
  await withClient(url, (c) => c.query("SELECT 1"));
}

async function createDatabase(url) {
  const { database } = parseUrl(url);
  await withAdminClient(url, async (c) => {
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } catch (err) {
      if (err?.code === "42P04") {
        throw userError("P1009", `Database \`${database}\` already exists on the database server at \`${parseUrl(url).location}\``);
      }
      throw err;
    }
  });
  return database;
}

async function dropDatabase(url) {
  const { database } = parseUrl(url);
  await withAdminClient(url, async (c) => {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    } catch (err) {
      if (err?.code !== "42601") throw err; // WITH (FORCE) needs PostgreSQL 13+
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
    }
  });
  return database;
}

// ---------------------------------------------------------------------------
// One-shot mode: `cli can-connect-to-database | create-database | drop-database`.
// Silent on success. On failure the CLI skips the first stderr line (the native
// engine's start-up log) and parses every other one as JSON, looking for an
// ERROR with `error_code` from target `schema_engine::logger`.

async function runCli(command, datasource) {
  try {
    const url = datasource?.url;
    if (!url) throw userError("P1012", "No datasource url was provided to the schema engine.");
    switch (command) {
      case "can-connect-to-database":
        await canConnect(url);
        process.stdout.write("Connection successful\n");
        break;
      case "create-database":
        process.stdout.write(`Database '${await createDatabase(url)}' was successfully created.\n`);
        break;
      case "drop-database":
        process.stdout.write(`The database '${await dropDatabase(url)}' was successfully dropped.\n`);
        break;
      default:
        throw new Error(`Unknown cli command: ${command}`);
    }
    return 0;
  } catch (err) {
    const fields = err instanceof UserFacingError ? { error_code: err.code } : {};
    logLine("INFO", `schema engine (wasm shim) cli ${command}`, {}, "schema_engine_cli"); // the skipped first line
    logLine("ERROR", err?.message ?? String(err), fields, "schema_engine::logger");
    return 1;
  }
}

// ---------------------------------------------------------------------------
// The wasm engine.

// The wasm build reports Rust panic messages through this global (the Prisma
// CLI defines the same one); without it a panic turns into a TypeError that
// crashes the process.
const panicRegistry = {
  message: "",
  set_message(message) {
    this.message = `RuntimeError: ${message}`;
  },
  take() {
    const message = this.message;
    this.message = "";
    return message;
  },
};
globalThis.PRISMA_WASM_PANIC_REGISTRY = panicRegistry;

async function loadWasmEngine() {
  // The package's entry point does `import * as wasm from "./x.wasm"`, which
  // Node 20 only supports behind --experimental-wasm-modules; instantiate the
  // module ourselves and hand it to the JS glue instead.
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg = await import(pathToFileURL(bgPath).href);
  const bytes = readFileSync(bgPath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg;
}

let adapterPatched = false;
let lastDatabaseError = null; // { code, message } of the last error PostgreSQL returned

// Patches to adapter-pg, which has no hooks for any of this. They go on the
// prototypes shared by its connection and transaction classes, once.
function patchAdapterPg(adapter) {
  if (adapterPatched) return;
  adapterPatched = true;
  const protoWith = (name) => {
    let proto = Object.getPrototypeOf(adapter);
    while (proto && !Object.prototype.hasOwnProperty.call(proto, name)) proto = Object.getPrototypeOf(proto);
    if (!proto) logLine("WARN", `adapter-pg internals changed: cannot patch \`${name}\``);
    return proto;
  };

  // 1. adapter-pg maps every result column to a Prisma column type and throws
  // "Unsupported column type char" for PostgreSQL's internal one-byte `"char"`
  // type (OID 18), which the engine's catalog queries select (pg_class.relkind,
  // pg_constraint.contype, ...). The engine reads those columns "as char", so
  // they must come back as ColumnType Character: let adapter-pg treat them as
  // TEXT (the values are plain strings), then fix up their column types.
  const queryable = protoWith("performIO");
  if (queryable?.queryRaw) {
    const CHAR_OID = 18;
    const TEXT_OID = 25;
    const CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
    const charColumns = Symbol("charColumns");
    const performIO = queryable.performIO;
    queryable.performIO = async function (query) {
      const result = await performIO.call(this, query);
      result?.fields?.forEach((field, i) => {
        if (field.dataTypeID !== CHAR_OID) return;
        field.dataTypeID = TEXT_OID;
        query[charColumns]?.push(i);
      });
      return result;
    };
    const queryRaw = queryable.queryRaw;
    queryable.queryRaw = async function (query) {
      const tagged = { ...query, [charColumns]: [] };
      const result = await queryRaw.call(this, tagged);
      for (const i of tagged[charColumns]) result.columnTypes[i] = CHARACTER;
      return result;
    };
  }

  // 2. The engine only passes on a summary of adapter errors ("external
  // connector error / No such table: X"); keep PostgreSQL's own code and
  // message for the report of a failed migration (P3018).
  if (queryable?.onError) {
    const onError = queryable.onError;
    queryable.onError = function (error) {
      if (typeof error?.code === "string" && typeof error?.message === "string") {
        lastDatabaseError = { code: error.code, message: error.message };
      }
      return onError.call(this, error);
    };
  }

  // 3. adapter-pg's executeScript (used for migration scripts and `db execute`)
  // splits the script on every ";", which breaks function bodies, DO blocks and
  // string literals containing a semicolon. Send the script as one simple-query
  // message instead, as the native engine does (PostgreSQL runs it as one
  // implicit transaction).
  const connection = protoWith("executeScript");
  if (connection) {
    connection.executeScript = async function (script) {
      try {
        await this.client.query(script);
      } catch (error) {
        this.onError(error);
      }
    };
  }
}

// SqlMigrationAwareDriverAdapterFactory for the wasm engine, built on
// adapter-pg but with our own shadow-database handling.
class PgMigrationFactory {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";
  shadowConnections = 0;

  constructor(PrismaPg, datasource) {
    this.PrismaPg = PrismaPg;
    this.url = datasource.url;
    this.shadowUrl = datasource.shadowDatabaseUrl || undefined;
    this.info = parseUrl(this.url);
  }

  async openAdapter(url) {
    const info = parseUrl(url);
    const factory = new this.PrismaPg(pgConfig(url), { schema: info.schema });
    const adapter = await factory.connect();
    patchAdapterPg(adapter);
    return adapter;
  }

  // The wasm engine connects (and queries the server version) as soon as it is
  // created, where the native engine connects lazily: `migrate diff
  // --from-empty --to-schema ...` works there without any database. When the
  // database cannot be reached, hand the engine a stand-in that answers the
  // version query and fails every other query with the connection error.
  async connect() {
    const adapter = await this.openAdapter(this.url);
    try {
      await adapter.performIO({ sql: "SELECT 1", args: [], argTypes: [] });
      return adapter;
    } catch (err) {
      await adapter.dispose().catch(() => {});
      const pgError = err?.cause?.kind === "DatabaseNotReachable" ? { code: "ECONNREFUSED" } : (lastDatabaseError ?? err?.cause ?? err);
      const error = connectionError(pgError, this.info);
      if (!(error instanceof UserFacingError)) throw err;
      debug(`database unavailable (${error.code}); continuing without it`);
      return new UnreachableDatabaseAdapter(error);
    }
  }

  // adapter-pg's own connectToShadowDb (1) connects the shadow pool to the main
  // database, because the connection string wins over `database` in `pg`, and
  // (2) drops the shadow database while its pool still holds connections, which
  // fails. So: create it ourselves, point the URL at it, close the pool first and
  // drop it afterwards. With an explicit shadowDatabaseUrl (needed for PGlite,
  // which has a single database whatever the name), wipe that database instead.
  async connectToShadowDb() {
    this.shadowConnections++;
    if (this.shadowUrl) return this.connectToConfiguredShadowDb();

    if (this.info.database === UNSET_URL_DATABASE) throw connectionError({}, this.info);
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    const url = withDatabase(this.url, name);
    await withAdminClient(this.url, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    debug(`created shadow database ${name}`);
    const drop = () =>
      dropDatabase(url).then(
        () => debug(`dropped shadow database ${name}`),
        (err) => logLine("WARN", `Could not drop shadow database ${name}: ${err.message}`),
      );
    let adapter;
    try {
      adapter = await this.openAdapter(url);
      // Servers that ignore the database name (PGlite) would hand us the main
      // database here; the engine would then wipe it.
      const db = await currentDatabase(adapter);
      if (db !== name) {
        throw userError(
          "P3014",
          `Prisma Migrate could not use a temporary shadow database on \`${this.info.location}\`: the server ignored the database name (connected to \`${db}\`). ` +
            "Servers like PGlite have a single database; set SHADOW_DATABASE_URL to a separate, throw-away server.",
        );
      }
    } catch (err) {
      await adapter?.dispose().catch(() => {});
      await drop();
      throw err;
    }
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await drop();
    };
    return adapter;
  }

  async connectToConfiguredShadowDb() {
    const main = this.info;
    const shadow = parseUrl(this.shadowUrl);
    if (main.host === shadow.host && main.port === shadow.port && main.database === shadow.database) {
      throw userError(
        "P3014",
        "The shadow database you configured appears to be the same as the main database. Please specify another shadow database.",
      );
    }
    const adapter = await this.openAdapter(this.shadowUrl);
    try {
      // The shadow database must start empty: drop every user schema.
      const { rows } = await adapter.performIO({
        sql: `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
        args: [],
        argTypes: [],
      });
      const schemas = rows.map((r) => r[0]);
      for (const schema of schemas) {
        await adapter.performIO({ sql: `DROP SCHEMA ${quoteIdent(schema)} CASCADE`, args: [], argTypes: [] });
      }
      await adapter.performIO({ sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(shadow.schema)}`, args: [], argTypes: [] });
      debug(`reset configured shadow database (${schemas.length} schemas dropped)`);
    } catch (err) {
      await adapter.dispose().catch(() => {});
      throw err;
    }
    return adapter;
  }
}

class UnreachableDatabaseAdapter {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";
  constructor(error) {
    this.error = error;
  }
  async queryRaw(query) {
    // The engine's start-up probe; answer as PostgreSQL 15 with the schema present.
    if (/server_version_num/.test(query.sql)) {
      return { columnNames: ["exists", "version", "numeric_version"], columnTypes: [5, 7, 0], rows: [[true, "PostgreSQL 15.0 (offline)", 150000]] };
    }
    throw this.error;
  }
  async executeRaw() {
    throw this.error;
  }
  async executeScript() {
    throw this.error;
  }
  async startTransaction() {
    throw this.error;
  }
  getConnectionInfo() {
    return { schemaName: "public", supportsRelationJoins: true };
  }
  async dispose() {}
}

async function currentDatabase(adapter) {
  const { rows } = await adapter.performIO({ sql: "SELECT current_database()", args: [], argTypes: [] });
  return rows[0][0];
}

// ---------------------------------------------------------------------------
// JSON-RPC server.

// The CLI shows `data.error.message` for panics (and offers to report them).
function panicRpcError(message, err) {
  return {
    code: 4466,
    message: "An error happened. Check the data field for details.",
    data: { is_panic: true, message, error: { message }, backtrace: err?.stack ?? null },
  };
}

async function serve({ datamodels, datasource }) {
  const bg = await loadWasmEngine();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");

  const schemaFiles = datamodels.map((file) => [file, readFileSync(file, "utf8")]);
  const url = datasource?.url;

  let shadowFactory; // our factory (counts shadow databases)
  let factory; // the same, bound (error-capturing) for the engine
  let engine;
  let info;
  async function getEngine() {
    if (engine) return engine;
    if (!url) throw userError("P1012", "No datasource url was provided to the schema engine. Set `datasource.url` in prisma.config.ts.");
    info = parseUrl(url);
    shadowFactory = new PgMigrationFactory(PrismaPg, datasource);
    factory = bindMigrationAwareSqlAdapterFactory(shadowFactory);
    engine = await bg.SchemaEngine.new(
      // `datamodels` must be undefined or non-empty.
      { datamodels: schemaFiles.length ? schemaFiles : undefined },
      (log) => {
        if (DEBUG) process.stderr.write(log.endsWith("\n") ? log : log + "\n");
      },
      factory,
    );
    return engine;
  }

  // The wasm engine's evaluateDataLoss/createMigration fail with "PostgreSQL
  // shadow DB must be provided through an external factory" unless the schema
  // of the migration history is already cached for that exact history: their
  // own shadow-database path is not wired to the adapter factory, while
  // diagnoseMigrationHistory/devDiagnostic's is (and fills the cache). That is
  // the case on a fresh database, or whenever migrations were just applied. So
  // before those two calls, unless a shadow database was already built for the
  // same migrations in this process, warm the cache with a shadow-database
  // diagnoseMigrationHistory (the main database is in sync at that point).
  let warmKey;
  const historyKey = (list) =>
    createHash("sha256")
      .update(JSON.stringify([list?.shadowDbInitScript ?? "", (list?.migrationDirectories ?? []).map((d) => [d.path, d.migrationFile?.content])]))
      .digest("hex");
  async function trackingShadowUse(params, run) {
    const before = shadowFactory.shadowConnections;
    const result = await run();
    if (params?.migrationsList && shadowFactory.shadowConnections > before) warmKey = historyKey(params.migrationsList);
    return result;
  }
  async function warmUp(e, params) {
    if (warmKey === historyKey(params.migrationsList)) return;
    await trackingShadowUse(params, () =>
      e.diagnoseMigrationHistory({
        migrationsList: params.migrationsList,
        optInToShadowDatabase: true,
        filters: params.filters ?? { externalTables: [], externalEnums: [] },
      }),
    );
  }

  // Requests the engine sends to the CLI (only `print`).
  let nextOwnId = 1_000_000_000;
  const pendingOwn = new Map();
  function requestCli(method, params) {
    const id = nextOwnId++;
    return new Promise((resolve, reject) => {
      pendingOwn.set(id, { resolve, reject });
      send({ jsonrpc: "2.0", id, method, params });
    });
  }

  const methods = {
    async applyMigrations(p) {
      const result = await (await getEngine()).applyMigrations(p);
      if (result?.appliedMigrationNames?.length) warmKey = undefined; // the cache does not survive this
      return result;
    },
    async createDatabase(p) {
      const target = p?.datasource?.tag === "ConnectionString" ? p.datasource.url : url;
      return { databaseName: await createDatabase(target) };
    },
    async createMigration(p) {
      const e = await getEngine();
      await warmUp(e, p);
      return trackingShadowUse(p, () => e.createMigration(p));
    },
    async dbExecute(p) {
      warmKey = undefined;
      await (await getEngine()).dbExecute(p);
      return null;
    },
    async debugPanic() {
      return (await getEngine()).debugPanic();
    },
    async devDiagnostic(p) {
      const e = await getEngine();
      return trackingShadowUse(p, () => e.devDiagnostic(p));
    },
    async diagnoseMigrationHistory(p) {
      const e = await getEngine();
      return trackingShadowUse(p, () => e.diagnoseMigrationHistory(p));
    },
    async diff(p) {
      const { stdout, ...rest } = await (await getEngine()).diff(p);
      // The native engine prints the diff through a `print` request to the CLI
      // (which honours --output); the wasm engine returns it instead.
      if (stdout) await requestCli("print", { content: stdout.replace(/\n$/, "") });
      return { exitCode: 0, ...rest };
    },
    async ensureConnectionValidity(p) {
      await (await getEngine()).ensureConnectionValidity(p);
      return {};
    },
    async evaluateDataLoss(p) {
      const e = await getEngine();
      await warmUp(e, p);
      return trackingShadowUse(p, () => e.evaluateDataLoss(p));
    },
    async getDatabaseVersion(p) {
      return (await getEngine()).version(p ?? undefined);
    },
    async introspect(p) {
      return (await getEngine()).introspect(p);
    },
    async introspectSql(p) {
      return (await getEngine()).introspectSql(p);
    },
    async markMigrationApplied(p) {
      warmKey = undefined;
      await (await getEngine()).markMigrationApplied(p);
      return {};
    },
    async markMigrationRolledBack(p) {
      warmKey = undefined;
      await (await getEngine()).markMigrationRolledBack(p);
      return {};
    },
    async reset(p) {
      warmKey = undefined;
      await (await getEngine()).reset(p ?? { filter: { externalTables: [], externalEnums: [] } });
      return {};
    },
    async schemaPush(p) {
      warmKey = undefined;
      return (await getEngine()).schemaPush(p);
    },
  };

  function send(message) {
    if (DEBUG) debug("->", JSON.stringify(message).slice(0, 2000));
    process.stdout.write(JSON.stringify(message) + "\n");
  }

  function toRpcError(err) {
    // Errors thrown by adapter code that is not a DriverAdapterError are kept
    // in the registry and reach us as `{ kind: "GenericJs", id }`.
    let e = err;
    const genericId = /External error id#(\d+)|GenericJs.*?id:?\s*(\d+)/s
      .exec(String(err?.message ?? ""))
      ?.slice(1)
      .find(Boolean);
    if (genericId !== undefined && factory?.errorRegistry) {
      e = factory.errorRegistry.consumeError(Number(genericId))?.error ?? err;
    }
    if (e instanceof WebAssembly.RuntimeError || /unreachable|panicked at/.test(String(e?.message))) {
      return panicRpcError(panicRegistry.take() || String(e?.message ?? e), e);
    }
    // Connection failures come back as bare messages; give them the codes the
    // native engine uses (and explain the placeholder URL of prisma.config.ts).
    if (!(e instanceof UserFacingError) && !e?.code && info) {
      const text = String(e?.message ?? "");
      let kind;
      if (/Can't reach database server|DatabaseNotReachable/.test(text)) kind = "DatabaseNotReachable";
      else if (/Database `[^`]*` does not exist|DatabaseDoesNotExist/.test(text)) kind = "DatabaseDoesNotExist";
      else if (/Authentication failed|AuthenticationFailed|DatabaseAccessDenied/.test(text)) kind = "AuthenticationFailed";
      e = (kind && adapterKindError({ kind }, info)) || e;
    }
    // A migration script failed: report it like the native engine (P3018),
    // with the database's own error code and message.
    const failedMigration = /apply_migration::apply_script\s+with migration_name="([^"]+)"/.exec(String(e?.message))?.[1];
    if (failedMigration && !(e instanceof UserFacingError)) {
      const dbCode = lastDatabaseError?.code ?? "N/A";
      const dbMessage = lastDatabaseError?.message ?? String(e.message).split(/\n\s+0: /)[0];
      e = userError(
        "P3018",
        "A migration failed to apply. New migrations cannot be applied before the error is recovered from. " +
          "Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
          `Migration name: ${failedMigration}\n\nDatabase error code: ${dbCode}\n\nDatabase error:\nERROR: ${dbMessage}\n`,
        { migration_name: failedMigration, database_error_code: dbCode, database_error: `ERROR: ${dbMessage}` },
      );
    }
    // Rust span traces ("   0: sql_schema_connector::...") are noise for users.
    let message = String(e?.message ?? e)
      .split(/\n\s+0: /)[0]
      .trimEnd();
    if (lastDatabaseError) {
      message = message.replace(/external connector error\n[^\n]*/, `db error: ERROR: ${lastDatabaseError.message}`);
    }
    const data = { is_panic: false, message, meta: e?.meta ?? null };
    if (typeof e?.code === "string" && /^P\d{4}$/.test(e.code)) data.error_code = e.code;
    return { code: 4466, message: "An error happened. Check the data field for details.", data };
  }

  async function handle(msg) {
    // Responses to our own requests (print).
    if (msg.method === undefined && pendingOwn.has(msg.id)) {
      const { resolve, reject } = pendingOwn.get(msg.id);
      pendingOwn.delete(msg.id);
      return msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result);
    }
    const { id, method, params } = msg;
    const fn = Object.prototype.hasOwnProperty.call(methods, method) ? methods[method] : undefined;
    if (!fn) {
      if (id !== undefined)
        send({
          jsonrpc: "2.0",
          id,
          error: {
            code: -32601,
            message: `Method not found: ${method}`,
            data: { is_panic: false, message: `The schema engine (wasm shim) does not support \`${method}\`.` },
          },
        });
      return;
    }
    lastDatabaseError = null;
    inFlightId = id;
    try {
      const result = await fn(params);
      if (id !== undefined) send({ jsonrpc: "2.0", id, result: result === undefined ? null : result });
    } catch (err) {
      debug(`${method} failed:`, err?.stack ?? err);
      if (id !== undefined) send({ jsonrpc: "2.0", id, error: toRpcError(err) });
    }
  }

  // A Rust panic inside a callback from JS escapes as an uncaught
  // RuntimeError. Answer the request in flight like the native engine does
  // (is_panic), then exit: the wasm instance is unusable after a panic.
  let inFlightId;
  process.on("uncaughtException", (err) => {
    const message = panicRegistry.take() || String(err?.stack ?? err);
    logLine("ERROR", message, { is_panic: true });
    if (inFlightId !== undefined) {
      send({
        jsonrpc: "2.0",
        id: inFlightId,
        error: panicRpcError(message, err),
      });
    }
    process.stdout.write("", () => process.exit(101));
  });

  // Requests are handled one at a time, in order, like the native engine.
  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (DEBUG) debug("<-", line.slice(0, 2000));
    // Responses must not wait behind the request that is waiting for them.
    if (msg.method === undefined) return void handle(msg);
    queue = queue.then(() => handle(msg));
  });
  rl.on("close", () => {
    // The CLI closes stdin when it is done; pools would keep us alive otherwise.
    queue.finally(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const bg = await loadWasmEngine();
    process.stdout.write(`schema-engine-cli ${bg.version()}\n`);
    return 0;
  }
  if (args.cli) return runCli(args.cli, args.datasource);
  await serve(args);
  return undefined; // keep running until stdin closes
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err) => {
    logLine("ERROR", err?.stack ?? String(err));
    process.exit(1);
  },
);
