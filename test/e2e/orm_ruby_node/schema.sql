-- A small blog, the same in each framework's database. Posts 1-10 make the list pages
-- (3 comments each, by varying authors); the write loops add comments to posts 21-30 only.
CREATE TABLE authors (
  id bigserial PRIMARY KEY,
  name text NOT NULL
);
CREATE TABLE posts (
  id bigserial PRIMARY KEY,
  author_id bigint NOT NULL REFERENCES authors,
  title text NOT NULL
);
CREATE TABLE comments (
  id bigserial PRIMARY KEY,
  post_id bigint NOT NULL REFERENCES posts,
  author_id bigint NOT NULL REFERENCES authors,
  body text NOT NULL
);
CREATE INDEX comments_post_id ON comments (post_id);
CREATE TABLE tags (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE
);
CREATE TABLE post_tags (
  post_id bigint NOT NULL REFERENCES posts,
  tag_id bigint NOT NULL REFERENCES tags,
  PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag_id ON post_tags (tag_id);
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  status text NOT NULL DEFAULT 'queued',
  payload text
);

INSERT INTO authors (name) SELECT 'author ' || g FROM generate_series(1, 8) g;
INSERT INTO posts (author_id, title) SELECT 1 + g % 8, 'post ' || g FROM generate_series(1, 30) g;
INSERT INTO comments (post_id, author_id, body)
  SELECT p, 1 + (p * 3 + c) % 8, 'comment ' || c || ' on post ' || p
    FROM generate_series(1, 30) p, generate_series(1, 3) c ORDER BY p, c;
INSERT INTO tags (name) SELECT 'tag ' || g FROM generate_series(1, 6) g;
INSERT INTO post_tags (post_id, tag_id)
  SELECT p, 1 + (p + k) % 6 FROM generate_series(1, 30) p, generate_series(0, 1) k;
INSERT INTO jobs (payload) SELECT 'job ' || g FROM generate_series(1, 20) g;
ANALYZE;
