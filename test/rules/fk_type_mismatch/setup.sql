-- fk_type_mismatch: a referencing column of another type than the key it references.
CREATE TABLE p_big (id bigint PRIMARY KEY);
CREATE TABLE c_int (p_id int REFERENCES p_big);                       -- high: narrower integer
CREATE TABLE p_code (code varchar(20) PRIMARY KEY);
CREATE TABLE c_text (code text REFERENCES p_code);                    -- medium: text vs varchar
CREATE TABLE c_wide (code varchar(30) REFERENCES p_code);             -- low: only the length
CREATE TABLE c_same (p_id bigint REFERENCES p_big, code varchar(20) REFERENCES p_code);  -- near miss
