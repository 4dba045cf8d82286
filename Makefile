# PGXS build of the pg_advisor extension (C++17). The pure C++ core (src/core) is compiled
# into the module together with the PostgreSQL glue (src/pg). Unit tests and the CLI are built
# by CMakeLists.txt.

EXTENSION = pg_advisor
MODULE_big = pg_advisor
# 0.1.0 is installed as released and brought up to date by the upgrade scripts; the full script
# of the current version is their concatenation (the server drops their \echo guard lines).
DATA = pg_advisor--0.1.0.sql pg_advisor--0.1.0--0.2.0.sql pg_advisor--0.2.0--0.3.0.sql
DATA_built = pg_advisor--0.3.0.sql
PGFILEDESC = "pg_advisor - query patterns, N+1 detection and index advice"

CORE_SRCS := $(sort $(shell find src/core -name '*.cpp'))
PG_SRCS := $(sort $(shell find src/pg -name '*.cpp'))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

PG_CONFIG ?= pg_config
PG_INCLUDEDIR_SERVER := $(shell $(PG_CONFIG) --includedir-server)

# Server headers are system headers for us (their warnings are not ours to fix); entry points
# are exported explicitly, everything else is hidden.
PG_CPPFLAGS = -Isrc -isystem $(PG_INCLUDEDIR_SERVER) -DFMT_HEADER_ONLY \
	'-DPGDLLEXPORT=__attribute__((visibility("default")))'
PG_CXXFLAGS = -std=c++17 -fvisibility=hidden -fvisibility-inlines-hidden \
	-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-register
ifdef PG_ADVISOR_WERROR
PG_CXXFLAGS += -Werror
endif
# Rebuild objects when a header they include changes.
PG_CXXFLAGS += -MMD -MP
EXTRA_CLEAN = $(OBJS:.o=.d)
# Export the module's entry points only (libstdc++ templates would otherwise leak out).
SHLIB_LINK = -lstdc++ -Wl,--version-script=$(srcdir)/src/pg/exports.map

# pg_regress (sql/ + expected/) and isolation (test/isolation/) suites, run against a server
# started with shared_preload_libraries = 'pg_advisor' (see scripts/test.sh).
REGRESS = capture normalize tags session shapes privileges n_plus_one index_advice index_forms security review ddl_review reset query_ids
ISOLATION = concurrent_capture review_waits ddl_locks
ISOLATION_OPTS = --inputdir=test/isolation

# JIT inlining of this module is of no use; skip the clang bitcode step.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

pg_advisor--0.3.0.sql: pg_advisor--0.1.0.sql pg_advisor--0.1.0--0.2.0.sql pg_advisor--0.2.0--0.3.0.sql
	cat $^ > $@

-include $(OBJS:.o=.d)
