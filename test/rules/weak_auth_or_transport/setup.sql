-- weak_auth_or_transport: the test cluster's pg_hba.conf trusts every socket and loopback
-- connection (initdb -A trust: medium each), and this database stores new passwords as MD5.
-- Near misses: no network line (so ssl = off is not reported), no session over TCP.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET password_encryption = %L', current_database(), 'md5');
END
$$;
