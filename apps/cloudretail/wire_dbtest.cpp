#include "dbtest/dbtest_repository.hpp"
#include "dbtest/dbtest_routes.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void wire_dbtest(App& app) {
  for (auto& m : dbtest::DbTestRepository::migrations(app.db->dialect())) app.migrations.push_back(m);
  auto& parts = app.dbtest.emplace();
  parts.repository = std::make_unique<dbtest::DbTestRepository>(*app.db);
  parts.service = std::make_unique<dbtest::DbTestService>(*parts.repository, app.clock);
  dbtest::register_routes(app.router, *parts.service);
}

}  // namespace cloudretail::app
