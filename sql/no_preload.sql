-- Without shared_preload_libraries the extension installs, and every object says how to enable it.
CREATE EXTENSION pg_advisor;
SELECT * FROM advisor.query_patterns;
SELECT * FROM advisor.scan_shapes;
SELECT * FROM advisor.capture_info;
SELECT * FROM advisor.session_statements();
SELECT advisor.reset();
SELECT * FROM advisor.lint_ddl('CREATE INDEX ON t (a)');
SHOW shared_preload_libraries;
DROP EXTENSION pg_advisor;
