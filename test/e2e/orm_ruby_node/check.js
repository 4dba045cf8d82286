// Assertions for the Node ORM apps: an admin connection (its own backend, so advisor.reset()
// never touches the application's detector state) that resets the findings and compares them
// exactly, plus a request context the way Express + sqlcommenter middleware would set one up.
'use strict';
const { AsyncLocalStorage, AsyncResource } = require('async_hooks');
const otel = require('@opentelemetry/api');
const { Client } = require('pg');

const COLUMNS = ['kind', 'parent_relation', 'child_relation', 'occurrences', 'executions', 'max_repeats',
  'distinct_params', 'framework', 'scope_kind', 'expected_queries'];

const connection = () => ({
  host: process.env.PGHOST, port: Number(process.env.PGPORT), user: 'postgres', database: process.env.PGDATABASE,
});

// OpenTelemetry's context API needs a context manager; this is the AsyncLocalStorage one that
// @opentelemetry/context-async-hooks provides, in a few lines.
class AlsContextManager {
  constructor() { this.als = new AsyncLocalStorage(); }
  active() { return this.als.getStore() || otel.ROOT_CONTEXT; }
  with(ctx, fn, thisArg, ...args) { return this.als.run(ctx, () => fn.apply(thisArg, args)); }
  bind(ctx, target) { return target; }
  enable() { return this; }
  disable() { this.als.disable(); return this; }
}
otel.context.setGlobalContextManager(new AlsContextManager());

let traceCounter = 0;
// A new W3C trace (an incoming request with its own traceparent header).
function newTrace() {
  traceCounter += 1;
  const traceId = (0x4bf92f35 + traceCounter).toString(16).padStart(8, '0') + 'a3baf0c4'.repeat(3);
  const spanId = (0x00f067aa + traceCounter).toString(16).padStart(16, '0');
  return { traceId, spanId, traceFlags: otel.TraceFlags.SAMPLED, isRemote: true };
}

// Runs fn as an Express request would: in its own async context, through the sqlcommenter
// middleware (which reads req.route.path), optionally inside an OpenTelemetry span context.
function request(middleware, route, fn, { trace = null } = {}) {
  return new Promise((resolve, reject) => {
    const resource = new AsyncResource('HTTPREQUEST');
    resource.runInAsyncScope(() => {
      const handle = () => middleware({ route: { path: route } }, {}, () => {
        Promise.resolve().then(fn).then(resolve, reject);
      });
      if (trace) otel.context.with(otel.trace.setSpanContext(otel.ROOT_CONTEXT, trace), handle);
      else handle();
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Check {
  constructor(name) {
    this.name = name;
    this.failed = 0;
    this.admin = new Client(connection());
  }

  async connect() { await this.admin.connect(); }

  async close() { await this.admin.end(); }

  async reset() { await this.admin.query('SELECT advisor.reset()'); }

  // Every finding of the database, the compared columns first, then what explains it.
  async findings() {
    const { rows } = await this.admin.query(`
      SELECT kind, parent_relation::text AS parent_relation, child_relation::text AS child_relation,
             occurrences::int, executions::int, max_repeats::int, distinct_params::int,
             framework, scope_kind, expected_queries,
             parent_query, child_query, example_scope, orm_fix, tags::text AS tags
        FROM advisor.n_plus_one
       ORDER BY kind, child_relation::text, parent_relation::text NULLS FIRST`);
    return rows;
  }

  ok(label, good, detail) {
    if (good) {
      console.log(`ok - ${label}`);
    } else {
      this.failed += 1;
      console.log(`not ok - ${label}`);
      if (detail !== undefined) console.log(String(detail).replace(/^/gm, '    '));
    }
    return good;
  }

  eq(label, actual, expected) {
    const a = JSON.stringify(actual), e = JSON.stringify(expected);
    return this.ok(`${label} (${a})`, a === e, `expected ${e}\n     got ${a}`);
  }

  // expected: objects with every column of COLUMNS, in the order of findings().
  async expectFindings(label, expected) {
    const rows = await this.findings();
    const actual = rows.map((r) => COLUMNS.map((c) => r[c]));
    const want = expected.map((e) => COLUMNS.map((c) => {
      if (!(c in e)) throw new Error(`expected finding without ${c}`);
      return e[c];
    }));
    const what = expected.length === 0 ? 'no finding'
      : expected.map((e) => `${e.kind} ${e.parent_relation || ''}->${e.child_relation}`).join(', ');
    const detail = `expected ${want.length} finding(s) (${COLUMNS.join(', ')}):\n`
      + want.map((w) => JSON.stringify(w)).join('\n')
      + `\ngot ${rows.length}:\n` + rows.map((r) => JSON.stringify(r)).join('\n');
    this.ok(`${label}: ${what}`, JSON.stringify(actual) === JSON.stringify(want), detail);
    return rows;
  }

  // One scenario in its own unit of work: reset, run, compare.
  async scenario(label, expected, fn) {
    await this.reset();
    await fn();
    return this.expectFindings(label, expected);
  }

  finish() {
    if (this.failed > 0) {
      console.log(`${this.name}: ${this.failed} assertion(s) failed`);
      process.exitCode = 1;
    } else {
      console.log(`${this.name}: all assertions passed`);
    }
  }
}

function finding(kind, parent, child, { executions, distinct, framework, scope = 'request', maxRepeats = executions }) {
  return {
    kind, parent_relation: parent, child_relation: child, occurrences: 1, executions, max_repeats: maxRepeats,
    distinct_params: distinct, framework, scope_kind: scope,
    expected_queries: kind === 'n_plus_one' ? `${executions + 1} -> 2` : `${executions} -> 1`,
  };
}

module.exports = { Check, connection, finding, newTrace, request, sleep };
