# ActiveRecord 6.1 (without Rails) + marginalia 1.11: the N+1 pages, their eager-loading fixes, a
# create! loop and its insert_all fix, traps, and the n_plus_one_action = 'error' guard.
# Each scenario is one unit of work: a controller#action as marginalia tags it
# (/*application:Blog,controller:posts,action:index*/), with advisor.reset() in between.
require 'active_record'
require 'active_record/connection_adapters/postgresql_adapter'
require 'marginalia'
require_relative 'check'

# What the marginalia railtie does in a Rails app, and the components Rails apps use by default.
Marginalia::Railtie.insert_into_active_record
Marginalia.application_name = 'Blog'
Marginalia::Comment.components = %i[application controller action request_id]

ActiveRecord::Base.establish_connection(
  adapter: 'postgresql', host: ENV.fetch('PGHOST'), port: ENV.fetch('PGPORT'),
  username: 'postgres', database: ENV.fetch('PGDATABASE')
)
ActiveRecord::Base.logger = Logger.new($stdout) if ENV['ORM_DEBUG']

class Author < ActiveRecord::Base
  has_many :posts
end

class Post < ActiveRecord::Base
  belongs_to :author
  has_many :comments
end

class Comment < ActiveRecord::Base
  belongs_to :post, optional: true
  belongs_to :author, optional: true
end

# What marginalia reads from a controller (ActionControllerInstrumentation#record_query_comment
# calls Marginalia::Comment.update!(controller) around each action, then clear!).
FakeRequest = Struct.new(:uuid)
FakeController = Struct.new(:controller_name, :action_name, :request)

def action(controller, action, request_id: nil)
  request = request_id && FakeRequest.new(request_id)
  Marginalia::Comment.update!(FakeController.new(controller, action, request))
  yield
ensure
  Marginalia::Comment.clear!
end

# Transaction statements ActiveRecord sends (BEGIN / COMMIT), counted from its instrumentation.
$transactions = 0
ActiveSupport::Notifications.subscribe('sql.active_record') do |*, payload|
  $transactions += 1 if payload[:name] == 'TRANSACTION'
end

def n_plus_one(parent, child, executions:, distinct:, max_repeats: executions)
  { kind: 'n_plus_one', parent_relation: parent, child_relation: child, occurrences: 1,
    executions: executions, max_repeats: max_repeats, distinct_params: distinct,
    framework: 'rails', scope_kind: 'request', expected_queries: "#{executions + 1} -> 2" }
end

# The page every framework has: ten posts, then each post's comments.
def posts_page
  Post.order(:id).limit(10).map { |p| [p.title, p.comments.map(&:body)] }
end

def expect_fix(rows, fix)
  Check.ok("orm_fix: #{fix}", rows.size == 1 && rows[0]['orm_fix'].to_s.start_with?(fix), rows.map { |r| r['orm_fix'] })
end

# 1. One-to-many: posts -> comments.
rows = Check.scenario('AR posts#index: post.comments per post',
               [n_plus_one('posts', 'comments', executions: 10, distinct: 10)]) do
  action('posts', 'index') { Check.eq('page lists 10 posts', posts_page.size, 10) }
end
expect_fix(rows, 'Rails: .includes(:comments)')

Check.scenario('AR posts#index_fixed: includes(:comments)', []) do
  action('posts', 'index_fixed') do
    page = Post.includes(:comments).order(:id).limit(10).map { |p| [p.title, p.comments.map(&:body)] }
    Check.eq('fixed page has the same 30 comments', page.sum { |_, c| c.size }, 30)
  end
end

# 2. Many-to-one: posts -> authors.
rows = Check.scenario('AR posts#authors: post.author per post',
               [n_plus_one('posts', 'authors', executions: 10, distinct: 8)]) do
  action('posts', 'authors') { Post.order(:id).limit(10).each { |p| p.author.name } }
end
expect_fix(rows, 'Rails: .includes(:author)')

Check.scenario('AR posts#authors_fixed: preload(:author)', []) do
  action('posts', 'authors_fixed') { Post.preload(:author).order(:id).limit(10).each { |p| p.author.name } }
end

# 3. Nested N x M: posts -> comments -> comment author; the grandchild's parent is the child.
rows = Check.scenario('AR posts#feed: comments per post, author per comment',
                      [n_plus_one('comments', 'authors', executions: 30, distinct: 8),
                       n_plus_one('posts', 'comments', executions: 10, distinct: 10)]) do
  action('posts', 'feed') do
    Post.order(:id).limit(10).each { |p| p.comments.each { |c| c.author.name } }
  end
end
if rows.size == 2
  authors, comments = rows
  Check.eq('nested: the authors loop hangs under the comments loop (parent_queryid = child_queryid)',
           authors['parent_queryid'], comments['child_queryid'])
  Check.eq('nested: ... and its parent_query is the comments query', authors['parent_query'], comments['child_query'])
  Check.ok('nested: Rails fix names the association', authors['orm_fix'].to_s.include?('Rails: .includes(:author)'),
           authors['orm_fix'])
end

Check.scenario('AR posts#feed_fixed: includes(comments: :author)', []) do
  action('posts', 'feed_fixed') do
    Post.includes(comments: :author).order(:id).limit(10).each { |p| p.comments.each { |c| c.author.name } }
  end
end

# 4. Write loop: create! one by one, each in its own BEGIN/COMMIT.
Check.scenario('AR imports#create: Comment.create! per row',
               [{ kind: 'bulk_write_loop', parent_relation: nil, child_relation: 'comments', occurrences: 1,
                  executions: 10, max_repeats: 10, distinct_params: 10, framework: 'rails',
                  scope_kind: 'request', expected_queries: '10 -> 1' }]) do
  before = $transactions
  action('imports', 'create') do
    10.times { |i| Comment.create!(post_id: 21 + i, author_id: 1 + i % 8, body: "imported #{i}") }
  end
  Check.eq('each create! ran in its own BEGIN/COMMIT', $transactions - before, 20)
end

Check.scenario('AR imports#create_fixed: insert_all', []) do
  action('imports', 'create_fixed') do
    Comment.insert_all(Array.new(10) { |i| { post_id: 21 + i, author_id: 1 + i % 8, body: "bulk #{i}" } })
  end
end

# 5. Traps.
Check.scenario('AR trap posts#page: limit/offset pagination, 6 pages', []) do
  # a list query first: the pages have a parent, so only the pagination rule keeps them out
  action('posts', 'page') { Author.order(:id).to_a; 6.times { |k| Post.order(:id).limit(5).offset(5 * k).to_a } }
end

Check.scenario('AR trap posts#export: find_in_batches (keyset pagination), 6 batches', []) do
  batches = 0
  action('posts', 'export') { Post.find_in_batches(batch_size: 5) { batches += 1 } }
  Check.eq('find_in_batches ran 6 batches', batches, 6)
end

# where(post_id: ids) with five ids: IN ($1, $2, $3, $4, $5), bound parameters.
Check.scenario('AR trap posts#export_comments: comments loaded in chunks of 5 post ids (IN)', []) do
  action('posts', 'export_comments') do
    loaded = Post.order(:id).pluck(:id).each_slice(5).sum { |ids| Comment.where(post_id: ids).to_a.size }
    Check.ok('chunks loaded every comment', loaded >= 90, loaded)
  end
end

Check.scenario('AR trap posts#index_short: a loop of 4', []) do
  action('posts', 'index_short') { Post.order(:id).limit(4).each { |p| p.comments.to_a } }
end

Check.scenario('AR trap posts#show: the same lookups from 6 requests on one connection', []) do
  6.times do |i|
    action('posts', 'show', request_id: "req-#{i + 1}") do
      post = Post.find(i + 1)
      post.comments.to_a
    end
  end
end

ActiveRecord::Base.connection.execute('SET pg_advisor.idle_gap_ms = 100')
Check.scenario('AR trap notifications#poll: polling every 0.5 s (idle gaps)', []) do
  action('notifications', 'poll') do
    6.times do |i|
      sleep 0.5 if i.positive?
      Comment.where(post_id: 1).count
    end
  end
end
ActiveRecord::Base.connection.execute('RESET pg_advisor.idle_gap_ms')

# The same poll without the gaps is a duplicate: the trap above is not vacuous.
Check.scenario('AR control notifications#poll_tight: the same poll 6 times at once',
               [{ kind: 'duplicate_query', parent_relation: nil, child_relation: 'comments', occurrences: 1,
                  executions: 6, max_repeats: 6, distinct_params: 1, framework: 'rails',
                  scope_kind: 'request', expected_queries: '6 -> 1' }]) do
  action('notifications', 'poll_tight') { 6.times { Comment.where(post_id: 1).count } }
end

# 6. The guard: with n_plus_one_action = 'error' the fifth comments query fails with N1001.
Check.reset
ActiveRecord::Base.connection.execute("SET pg_advisor.n_plus_one_action = 'error'")
loaded = 0
error = nil
begin
  action('guard', 'index') do
    Post.order(:id).limit(10).each do |p|
      p.comments.to_a
      loaded += 1
    end
  end
rescue ActiveRecord::StatementInvalid => e
  error = e
end
sqlstate = error&.cause.respond_to?(:result) ? error.cause.result&.error_field(PG::PG_DIAG_SQLSTATE) : nil
Check.eq('guard: the N+1 page fails with SQLSTATE N1001', sqlstate, 'N1001')
Check.eq('guard: it fails on the fifth post (4 loaded)', loaded, 4)
Check.ok('guard: the message names the N+1', error&.message.to_s.include?('N+1 query detected'), error&.message)
begin
  action('guard', 'index_fixed') do
    Check.eq('guard: the fixed page passes',
             Post.includes(:comments).order(:id).limit(10).sum { |p| p.comments.size }, 30)
  end
rescue ActiveRecord::StatementInvalid => e
  Check.ok('guard: the fixed page passes', false, e.message)
end
ActiveRecord::Base.connection.execute('RESET pg_advisor.n_plus_one_action')

Check.finish('activerecord')
