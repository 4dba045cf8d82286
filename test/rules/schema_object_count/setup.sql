-- schema_object_count: four application schemas (public and three tenants) at a threshold of
-- four; near miss: the relation count stays below its threshold.
CREATE SCHEMA fx_tenant_1;
CREATE SCHEMA fx_tenant_2;
CREATE SCHEMA fx_tenant_3;
