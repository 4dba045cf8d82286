# Assertions for the Ruby ORM app: an admin connection (its own backend, so advisor.reset() never
# touches the application's detector state) that resets the findings and compares them exactly.
require 'pg'

module Check
  COLUMNS = %w[kind parent_relation child_relation occurrences executions max_repeats
               distinct_params framework scope_kind expected_queries].freeze

  @failed = 0

  class << self
    attr_reader :failed

    def admin
      @admin ||= begin
        conn = PG.connect(host: ENV.fetch('PGHOST'), port: ENV.fetch('PGPORT'),
                          user: 'postgres', dbname: ENV.fetch('PGDATABASE'))
        conn.type_map_for_results = PG::BasicTypeMapForResults.new(conn)
        conn
      end
    end

    def reset
      admin.exec('SELECT advisor.reset()')
    end

    # Every finding of the database, the compared columns first, then what explains it.
    def findings
      admin.exec(<<~SQL).to_a
        SELECT kind, parent_relation::text AS parent_relation, child_relation::text AS child_relation,
               occurrences::int, executions::int, max_repeats::int, distinct_params::int,
               framework, scope_kind, expected_queries,
               parent_queryid::text, parent_query, child_queryid::text, child_query, example_scope, orm_fix,
               tags::text AS tags
          FROM advisor.n_plus_one
         ORDER BY kind, child_relation::text, parent_relation::text NULLS FIRST
      SQL
    end

    def ok(label, good, detail = nil)
      if good
        puts "ok - #{label}"
      else
        @failed += 1
        puts "not ok - #{label}"
        puts detail.to_s.gsub(/^/, '    ') if detail
      end
      good
    end

    def eq(label, actual, expected)
      ok("#{label} (#{actual.inspect})", actual == expected,
         "expected #{expected.inspect}\n     got #{actual.inspect}")
    end

    # expected: hashes with every column of COLUMNS, in the order of findings().
    def expect_findings(label, expected)
      rows = findings
      actual = rows.map { |r| r.slice(*COLUMNS) }
      want = expected.map { |e| COLUMNS.to_h { |c| [c, e.fetch(c.to_sym)] } }
      detail = "expected #{want.size} finding(s):\n" + want.map(&:inspect).join("\n") +
               "\ngot #{rows.size}:\n" + rows.map(&:inspect).join("\n")
      what = expected.empty? ? 'no finding' : expected.map { |e| "#{e[:kind]} #{e[:parent_relation]}->#{e[:child_relation]}" }.join(', ')
      ok("#{label}: #{what}", actual == want, detail)
      rows
    end

    # Runs one scenario in its own unit of work: reset, run, compare.
    def scenario(label, expected)
      reset
      yield
      expect_findings(label, expected)
    end

    def finish(name)
      if @failed.positive?
        puts "#{name}: #{@failed} assertion(s) failed"
        exit 1
      end
      puts "#{name}: all assertions passed"
    end
  end
end
