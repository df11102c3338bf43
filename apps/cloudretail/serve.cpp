#include "serve.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <thread>

#include "authn/authenticator.hpp"
#include "core/run_every.hpp"
#include "http/server.hpp"
#include "ops_metrics.hpp"
#include "wiring.hpp"

namespace cloudretail::app {

std::unique_ptr<App> build_app(Config config) {
  auto app = std::make_unique<App>();
  app->config = std::move(config);
  const Config& c = app->config;
  check_peers(c);  // before the database is touched: a missing peer is one line and exit 2
  if (c.database_url.empty() || c.database_url.rfind("sqlite:", 0) == 0) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(c.sqlite_path()).parent_path(), ec);
    if (ec) spdlog::error("cannot create data directory for {}: {}", c.sqlite_path(), ec.message());
    // Held for the process lifetime: `cloudretail restore` refuses while it is.
    auto lock = ops::DataLock::acquire(c.sqlite_path(), ops::DataLock::Mode::kShared);
    if (lock)
      app->data_lock.emplace(std::move(*lock));
    else if (lock.error().code == ErrorCode::kConflict)
      throw std::runtime_error("a restore is replacing " + c.sqlite_path() + "; start again when it ends");
    else
      spdlog::warn("{}; `cloudretail restore` cannot tell that this process uses the database", lock.error().message);
  }
  app->db = db::open_database({c.database_url, c.sqlite_path(), c.db_pool_size, c.sqlite_synchronous});
  wire_all(*app);
  publish_database_metrics(*app);
  return app;
}

bool prepare_database(App& app) {
  try {
    int applied = db::apply_migrations(*app.db, app.migrations);
    if (applied > 0) spdlog::info("applied {} migration(s)", applied);
    for (auto& task : app.startup_tasks) task();
    return true;
  } catch (const std::exception& e) {
    spdlog::error("database not ready: {}", e.what());
    return false;
  }
}

int serve(App& app) {
  const Config& c = app.config;
  auto authenticator = std::make_unique<authn::GuardAuthenticator>(c.service_token, app.peers.tokens);

  http::ServerOptions options;
  options.host = c.host;
  options.port = c.port;
  options.io_threads = c.io_threads;
  options.worker_threads = std::max(4, c.db_pool_size);
  options.api_base_path = c.api_base_path;
  options.cors_allow_origin = c.cors_allow_origin;
  options.max_connections = c.max_connections;
  options.idle_timeout = std::chrono::milliseconds(c.http_idle_timeout_ms);

  // Each connection is a descriptor: take all the kernel allows this process.
  uint64_t open_files = http::raise_open_file_limit();
  if (open_files < static_cast<uint64_t>(c.max_connections) + 64)
    spdlog::warn("open-file limit {} is below MAX_CONNECTIONS {}: when descriptors run out, accepting pauses",
                 open_files, c.max_connections);

  http::Server server(options, app.router, app.metrics, authenticator.get());
  uint16_t port = server.listen();

  // Background work starts once the schema is in place; until then, retry.
  std::stop_source stop;
  std::vector<std::jthread> workers;
  // The first attempt is synchronous so a healthy start serves a migrated schema.
  bool prepared = prepare_database(app);
  std::jthread preparer([&app, &workers, &stop, prepared](std::stop_token st) {
    if (!prepared) {
      // Every second until it works: success ends the retries, and so does shutdown.
      std::stop_source done;
      std::stop_callback on_shutdown(st, [&done] { done.request_stop(); });
      run_every(
          std::chrono::seconds(1), done.get_token(),
          [&] {
            if (prepare_database(app)) done.request_stop();
          },
          "database preparation");
    }
    if (st.stop_requested()) return;
    for (auto& task : app.background_tasks) workers.emplace_back([task, token = stop.get_token()] { task(token); });
  });

  // Printed whatever the log level: the tests and scripts wait for this line.
  fmt::print("cloudretail listening on http://{}:{}\n", c.host, port);
  std::fflush(stdout);

  server.run();
  spdlog::info("server stopped; stopping background work");
  preparer.request_stop();
  preparer.join();
  stop.request_stop();
  workers.clear();  // joins
  return 0;
}

}  // namespace cloudretail::app
