#pragma once
/// The throwaway PostgreSQL of the `pg` tests (scripts/pg-test-cluster.sh, started by
/// the ctest fixture `pg`). Its admin URL comes from CLOUDRETAIL_TEST_PG_URL, or from
/// the file named by CLOUDRETAIL_TEST_PG_URL_FILE.
#include <optional>
#include <string>

namespace cloudretail::testing {

/// The cluster's admin URL, or nullopt when no test PostgreSQL is configured.
std::optional<std::string> pg_admin_url();

/// Creates a fresh, empty database (`t_<random>`) on the test cluster and returns
/// its postgresql:// URL; nullopt when no test PostgreSQL is configured. Throws
/// std::runtime_error when one is configured but cannot be reached.
std::optional<std::string> fresh_pg_database();

/// True when CLOUDRETAIL_TEST_DATABASE=pg (integration suites re-run on PostgreSQL).
bool testing_on_postgres();

}  // namespace cloudretail::testing
