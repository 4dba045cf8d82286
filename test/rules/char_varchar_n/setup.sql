-- char_varchar_n: char(n) (low) and varchar(n) (info); varchar without a limit and text pass.
CREATE TABLE t (code char(2), flag character, name varchar(50), note varchar, body text);
