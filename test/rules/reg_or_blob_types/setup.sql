-- reg_or_blob_types: reg* types pg_upgrade refuses (medium), oid columns (low).
CREATE TABLE t (id int, fn regproc, cfg regconfig, tbl regclass, typ regtype, blob oid, body bytea);
