#include "dbtest/dbtest_repository.hpp"
#include "dbtest/dbtest_routes.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

void wire_dbtest(App& app) {
  if (!app.config.runs("dbtest")) return;
  for (auto& m : dbtest::DbTestRepository::migrations()) app.migrations.push_back(m);
  auto repo = app.make<dbtest::DbTestRepository>(*app.db);
  auto service = app.make<dbtest::DbTestService>(*repo, app.clock);
  dbtest::register_routes(app.router, *service);
}

}  // namespace cloudretail::app
