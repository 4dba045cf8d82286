// Knex 3 / Objection 3 + @google-cloud/sqlcommenter-knex (wraps Knex.Client.prototype.query and
// appends /*db_driver='knex%3A3.3.0',route='%2F...'*/). Objection runs through the same Knex
// client, so its statements carry the same db_driver tag: the framework pg_advisor names is
// 'knex' for both. N+1 pages (Objection $relatedQuery one-to-many, Knex many-to-one), their fixes
// (withGraphFetched, whereIn), an insert loop and its insert([...]) fix, and traps.
'use strict';
const Knex = require('knex');
const { Model } = require('objection');
const { wrapMainKnexAsMiddleware } = require('@google-cloud/sqlcommenter-knex');
const { Check, connection, finding, request, sleep } = require('./check');

// The official wrapper, with the fields sqlcommenter documents for Knex.
const middleware = wrapMainKnexAsMiddleware(
  Knex, { db_driver: true, route: true, traceparent: true, tracestate: true }, { TraceProvider: 'OpenTelemetry' });
const knex = Knex({
  client: 'pg',
  connection: connection(),
  pool: { min: 1, max: 1 }, // one connection: detection is per server backend
  debug: Boolean(process.env.ORM_DEBUG),
});
Model.knex(knex);

class Author extends Model {
  static get tableName() { return 'authors'; }
}
class Comment extends Model {
  static get tableName() { return 'comments'; }
  static get relationMappings() {
    return { author: { relation: Model.BelongsToOneRelation, modelClass: Author, join: { from: 'comments.author_id', to: 'authors.id' } } };
  }
}
class Post extends Model {
  static get tableName() { return 'posts'; }
  static get relationMappings() {
    return {
      author: { relation: Model.BelongsToOneRelation, modelClass: Author, join: { from: 'posts.author_id', to: 'authors.id' } },
      comments: { relation: Model.HasManyRelation, modelClass: Comment, join: { from: 'posts.id', to: 'comments.post_id' } },
    };
  }
}

const kx = (executions, distinct, opts = {}) => ({ executions, distinct, framework: 'knex', ...opts });

async function main() {
  const check = new Check('knex/objection');
  await check.connect();
  const get = (route, fn, opts) => request(middleware, route, fn, opts);

  await get('/probe', () => knex.raw('SELECT 1 AS one'));
  const { rows: [probe] } = await check.admin.query(`
    SELECT tags->>'db_driver' AS db_driver, tags->>'route' AS route
      FROM advisor.query_patterns WHERE query LIKE 'SELECT $1 AS one%'`);
  check.eq('sqlcommenter tags reach pg_advisor', probe && [probe.db_driver, probe.route],
    [`knex:${require('knex/package.json').version}`, '/probe']);

  // 1. Objection one-to-many: posts -> comments.
  await check.scenario('Objection GET /posts: post.$relatedQuery("comments") per post',
    [finding('n_plus_one', 'posts', 'comments', kx(10, 10))], () => get('/posts', async () => {
      const posts = await Post.query().orderBy('id').limit(10);
      for (const post of posts) await post.$relatedQuery('comments');
      check.eq('page lists 10 posts', posts.length, 10);
    }));

  await check.scenario('Objection GET /posts-with-comments: withGraphFetched("comments")', [], () => get('/posts-with-comments', async () => {
    const posts = await Post.query().withGraphFetched('comments').orderBy('id').limit(10);
    check.eq('fixed page has the same 30 comments', posts.reduce((n, p) => n + p.comments.length, 0), 30);
  }));

  // 2. Knex many-to-one: posts -> authors.
  await check.scenario('Knex GET /posts/authors: the author of each post, one by one',
    [finding('n_plus_one', 'posts', 'authors', kx(10, 8))], () => get('/posts/authors', async () => {
      const posts = await knex('posts').orderBy('id').limit(10);
      for (const post of posts) await knex('authors').where('id', post.author_id).first();
    }));

  await check.scenario('Knex GET /posts/authors-fixed: whereIn on the collected keys', [], () => get('/posts/authors-fixed', async () => {
    const posts = await knex('posts').orderBy('id').limit(10);
    const authors = await knex('authors').whereIn('id', [...new Set(posts.map((p) => p.author_id))]);
    check.eq('fixed page loads the 8 authors at once', authors.length, 8);
  }));

  // 3. Write loop: one insert per row.
  await check.scenario('Knex POST /comments/import: insert per row',
    [finding('bulk_write_loop', null, 'comments', kx(10, 10))], () => get('/comments/import', async () => {
      for (let i = 0; i < 10; i++) await knex('comments').insert({ post_id: 21 + i, author_id: 1 + (i % 8), body: `imported ${i}` });
    }));

  await check.scenario('Knex POST /comments/import-bulk: insert([...])', [], () => get('/comments/import-bulk', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ post_id: 21 + i, author_id: 1 + (i % 8), body: `bulk ${i}` }));
    await knex('comments').insert(rows);
  }));

  // 4. Traps.
  // A queue drained by single-statement claims: UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED).
  await check.scenario('Knex trap POST /jobs/drain: 6 FOR UPDATE SKIP LOCKED claims', [], () => get('/jobs/drain', async () => {
    for (let i = 0; i < 6; i++) {
      const next = knex('jobs').select('id').where('status', 'queued').orderBy('id').limit(1).forUpdate().skipLocked();
      const claimed = await knex('jobs').where('id', next).update({ status: 'running' }).returning('id');
      check.eq(`claim ${i + 1} took one job`, claimed.length, 1);
    }
  }));

  // A worker (no route tag): each job claimed and finished in its own transaction.
  await check.scenario('Knex trap worker: 6 jobs, each claimed (SKIP LOCKED) and done in its own transaction', [], async () => {
    for (let i = 0; i < 6; i++) {
      await knex.transaction(async (trx) => {
        const job = await trx('jobs').where('status', 'queued').orderBy('id').forUpdate().skipLocked().first();
        await trx('jobs').where('id', job.id).update({ status: 'done' });
      });
    }
  });

  // whereIn('post_id', five ids): in ($1, $2, $3, $4, $5), bound parameters.
  await check.scenario('Knex trap GET /posts/export: comments in chunks of 5 post ids (whereIn)', [], () => get('/posts/export', async () => {
    const ids = (await knex('posts').select('id').orderBy('id')).map((p) => p.id);
    for (let i = 0; i < ids.length; i += 5) await knex('comments').whereIn('post_id', ids.slice(i, i + 5));
  }));

  await check.scenario('Knex trap GET /comments/report: a cursor read in 6 FETCHes', [], () => get('/comments/report', async () => {
    await knex.transaction(async (trx) => {
      await trx.raw('DECLARE report CURSOR FOR SELECT id, body FROM comments ORDER BY id');
      for (let i = 0; i < 6; i++) await trx.raw('FETCH 10 FROM report');
      await trx.raw('CLOSE report');
    });
  }));

  await check.scenario('Objection trap GET /posts/short: a loop of 4', [], () => get('/posts/short', async () => {
    for (const post of await Post.query().orderBy('id').limit(4)) await post.$relatedQuery('comments');
  }));

  // Polling: the same request every 0.5 s, its session splitting bursts after 100 ms idle.
  await knex.raw('SET pg_advisor.idle_gap_ms = 100');
  await check.scenario('Knex trap GET /jobs/status: polled every 0.5 s (idle gaps)', [], async () => {
    for (let i = 0; i < 6; i++) {
      if (i > 0) await sleep(500);
      await get('/jobs/status', () => knex('jobs').where('status', 'queued').count('* as n'));
    }
  });
  await knex.raw('RESET pg_advisor.idle_gap_ms');

  await check.close();
  await knex.destroy();
  check.finish();
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
