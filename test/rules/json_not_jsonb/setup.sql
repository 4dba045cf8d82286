-- json_not_jsonb: json columns (jsonb passes).
CREATE TABLE t (id int, payload json, doc jsonb);
