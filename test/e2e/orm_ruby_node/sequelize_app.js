// Sequelize 6 + @google-cloud/sqlcommenter-sequelize: the comment goes after the statement's
// trailing ';' (... LIMIT 10; /*db_driver='sequelize%3A6.37.8',route='%2Fposts'*/). N+1 pages
// (one-to-many, many-to-many under a traceparent), their include fixes, a create loop and its
// bulkCreate fix, and traps. Each scenario is its own route (or trace), reset in between.
'use strict';
const { Sequelize, DataTypes, Op } = require('sequelize');
const { wrapSequelizeAsMiddleware } = require('@google-cloud/sqlcommenter-sequelize');
const { Check, connection, finding, newTrace, request } = require('./check');

const cfg = connection();
const sequelize = new Sequelize(cfg.database, cfg.user, null, {
  dialect: 'postgres',
  host: cfg.host, // the cluster's socket directory
  port: cfg.port,
  logging: process.env.ORM_DEBUG ? console.log : false,
  pool: { max: 1, min: 1 }, // one connection: detection is per server backend
  define: { timestamps: false, underscored: true },
});

const Author = sequelize.define('Author', { name: DataTypes.TEXT }, { tableName: 'authors' });
const Post = sequelize.define('Post', { title: DataTypes.TEXT }, { tableName: 'posts' });
const Comment = sequelize.define('Comment', { body: DataTypes.TEXT }, { tableName: 'comments' });
const Tag = sequelize.define('Tag', { name: DataTypes.TEXT }, { tableName: 'tags' });
Post.belongsTo(Author, { as: 'author', foreignKey: 'author_id' });
Post.hasMany(Comment, { as: 'comments', foreignKey: 'post_id' });
Comment.belongsTo(Author, { as: 'author', foreignKey: 'author_id' });
Post.belongsToMany(Tag, { as: 'tags', through: 'post_tags', foreignKey: 'post_id', otherKey: 'tag_id' });

// The official wrapper, with the fields sqlcommenter documents for Sequelize.
const middleware = wrapSequelizeAsMiddleware(
  sequelize, { db_driver: true, route: true, traceparent: true, tracestate: true }, { TraceProvider: 'OpenTelemetry' });
const seq = (executions, distinct, opts = {}) => ({ executions, distinct, framework: 'sequelize', ...opts });

async function main() {
  const check = new Check('sequelize');
  await check.connect();
  await sequelize.authenticate();
  const get = (route, fn, opts) => request(middleware, route, fn, opts);
  const tenPosts = () => Post.findAll({ order: [['id', 'ASC']], limit: 10 });

  // The comment the server receives: after the trailing ';', with db_driver and route.
  await get('/probe', () => sequelize.query('SELECT 1 AS one'));
  const { rows: [probe] } = await check.admin.query(`
    SELECT query, tags->>'db_driver' AS db_driver, tags->>'route' AS route
      FROM advisor.query_patterns WHERE query LIKE 'SELECT $1 AS one%'`);
  check.eq('sqlcommenter tags reach pg_advisor', probe && [probe.db_driver, probe.route],
    [`sequelize:${require('sequelize/package.json').version}`, '/probe']);

  // 1. One-to-many: posts -> comments.
  const expectFix = (rows, fix) => check.ok(`orm_fix: ${fix}`, rows.length === 1 && rows[0].orm_fix.startsWith(fix),
    JSON.stringify(rows.map((r) => r.orm_fix)));

  let rows = await check.scenario('Sequelize GET /posts: post.getComments() per post',
    [finding('n_plus_one', 'posts', 'comments', seq(10, 10))], () => get('/posts', async () => {
      const posts = await tenPosts();
      for (const post of posts) await post.getComments();
      check.eq('page lists 10 posts', posts.length, 10);
    }));
  expectFix(rows, "Sequelize: include: [{ association: 'comments' }]");

  await check.scenario('Sequelize GET /posts-with-comments: include comments', [], () => get('/posts-with-comments', async () => {
    const posts = await Post.findAll({ include: [{ model: Comment, as: 'comments' }], order: [['id', 'ASC']], limit: 10 });
    check.eq('fixed page has the same 30 comments', posts.reduce((n, p) => n + p.comments.length, 0), 30);
  }));

  // 2. Many-to-many (post_tags) inside one trace: the unit of work is the trace.
  rows = await check.scenario('Sequelize GET /posts/tags (traceparent): post.getTags() per post',
    [finding('n_plus_one', 'posts', 'tags', seq(10, 10, { scope: 'trace' }))], () => get('/posts/tags', async () => {
      for (const post of await tenPosts()) await post.getTags();
    }, { trace: newTrace() }));
  expectFix(rows, "Sequelize: include: [{ association: 'tags' }]");

  await check.scenario('Sequelize GET /posts/tags-fixed (traceparent): include tags', [], () => get('/posts/tags-fixed', async () => {
    const posts = await Post.findAll({ include: [{ model: Tag, as: 'tags' }], order: [['id', 'ASC']], limit: 10 });
    check.eq('fixed page has 20 post tags', posts.reduce((n, p) => n + p.tags.length, 0), 20);
  }, { trace: newTrace() }));

  // 3. Write loop: Comment.create per row.
  await check.scenario('Sequelize POST /comments/import: Comment.create per row',
    [finding('bulk_write_loop', null, 'comments', seq(10, 10))], () => get('/comments/import', async () => {
      for (let i = 0; i < 10; i++) await Comment.create({ post_id: 21 + i, author_id: 1 + (i % 8), body: `imported ${i}` });
    }));

  await check.scenario('Sequelize POST /comments/import-bulk: bulkCreate', [], () => get('/comments/import-bulk', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ post_id: 21 + i, author_id: 1 + (i % 8), body: `bulk ${i}` }));
    check.eq('bulkCreate created 10 rows', (await Comment.bulkCreate(rows)).length, 10);
  }));

  // 4. Traps.
  await check.scenario('Sequelize trap GET /posts/page: limit/offset pagination, 6 pages', [], () => get('/posts/page', async () => {
    await Author.findAll({ order: [['id', 'ASC']] }); // a list query first: the pages have a parent
    for (let page = 0; page < 6; page++) await Post.findAll({ order: [['id', 'ASC']], limit: 5, offset: 5 * page });
  }));

  await check.scenario('Sequelize trap GET /posts/feed: keyset pagination, 6 pages', [], () => get('/posts/feed', async () => {
    let last = 0;
    for (let page = 0; page < 6; page++) {
      const posts = await Post.findAll({ where: { id: { [Op.gt]: last } }, order: [['id', 'ASC']], limit: 5 });
      last = posts[posts.length - 1].id;
    }
  }));

  await check.scenario('Sequelize trap GET /posts/export: comments in chunks of 5 post ids (Op.in)', [], () => get('/posts/export', async () => {
    const ids = (await Post.findAll({ attributes: ['id'], order: [['id', 'ASC']] })).map((p) => p.id);
    for (let i = 0; i < ids.length; i += 5) await Comment.findAll({ where: { post_id: { [Op.in]: ids.slice(i, i + 5) } } });
  }));

  await check.scenario('Sequelize trap GET /posts/short: a loop of 4', [], () => get('/posts/short', async () => {
    for (const post of await Post.findAll({ order: [['id', 'ASC']], limit: 4 })) await post.getComments();
  }));

  await check.scenario('Sequelize trap GET /posts/:id: 6 requests with their own traceparent on one connection', [], async () => {
    for (let id = 1; id <= 6; id++) {
      await get('/posts/:id', async () => {
        const post = await Post.findByPk(id);
        await post.getAuthor();
        await post.getComments();
      }, { trace: newTrace() });
    }
  });

  await check.close();
  await sequelize.close();
  check.finish();
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
