-- Application tags from SQL comments: sqlcommenter and marginalia / Rails legacy formats.
CREATE EXTENSION IF NOT EXISTS pg_advisor;
SET pg_advisor.sample_rate = 0;
CREATE TABLE tags_t (id int, a int, b int, c int, d int);
SELECT advisor.reset();

-- sqlcommenter, appended, URL-encoded values (Django middleware style).
SELECT a FROM tags_t WHERE id = 1 /*controller='index',framework='django%3A4.2.11',route='%5Eusers/%24'*/;
-- sqlcommenter before the statement, escaped quote inside a value.
/*action='show',application='Blog',note='it\'s'*/ SELECT b FROM tags_t WHERE id = 2;
-- marginalia / Rails QueryLogs legacy format.
SELECT c FROM tags_t WHERE id = 3 /*application:Blog,controller:posts,action:index*/;
-- traceparent: kept as a tag; the trace-id becomes the statement's scope key.
SELECT d FROM tags_t WHERE id = 4 /*traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/;
-- Free text is not a tag comment.
SELECT a, b FROM tags_t WHERE id = 5 /* just a note */;
-- Malformed comments never break a statement.
SELECT a, c FROM tags_t WHERE id = 6 /*key='%zz%4',=novalue,'bad*/;

SELECT query, tags FROM advisor.query_patterns WHERE query LIKE '%tags_t%' ORDER BY query COLLATE "C";

-- The last tags win: the same pattern seen from another controller.
SELECT a FROM tags_t WHERE id = 7 /*controller='admin',framework='django%3A4.2.11'*/;
SELECT calls, tags FROM advisor.query_patterns WHERE query = 'SELECT a FROM tags_t WHERE id = $1';
-- Without a comment the last tags stay (they describe the last tagged call).
SELECT a FROM tags_t WHERE id = 8;
SELECT calls, tags FROM advisor.query_patterns WHERE query = 'SELECT a FROM tags_t WHERE id = $1';

DROP TABLE tags_t;
