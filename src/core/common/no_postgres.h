// Include this last in every src/core translation unit: src/core is pure C++17 and must never
// see a PostgreSQL header (the CMake core target does not even have the server include path).
#pragma once

#ifdef POSTGRES_H
#error "src/core must not include PostgreSQL headers; put PostgreSQL code in src/pg"
#endif
static_assert(__cplusplus >= 201703L, "pg_advisor's core needs C++17");
