#pragma once
#include "dbtest/dbtest_service.hpp"
#include "http/router.hpp"

namespace cloudretail::dbtest {

/// GET /db-test (admin).
void register_routes(http::Router& router, DbTestService& service);

}  // namespace cloudretail::dbtest
