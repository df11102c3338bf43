#pragma once
#include <memory>

#include "app.hpp"

namespace cloudretail::app {

/// Builds the App for `config`: opens the database (lazily: a database that
/// cannot be opened yet leaves the process running and not ready) and wires
/// the services.
std::unique_ptr<App> build_app(Config config);

/// Applies migrations and runs the startup tasks. Returns false (logging why)
/// when the database is not usable.
bool prepare_database(App& app);

/// `cloudretail serve`: returns the process exit code.
int serve(App& app);

}  // namespace cloudretail::app
