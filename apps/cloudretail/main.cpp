// cloudretail: the one binary. Subcommands serve, migrate, seed, admin, backup, restore and routes.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <sstream>

#include "backup_commands.hpp"
#include "serve.hpp"

using namespace cloudretail;

namespace {

std::set<std::string> parse_services(const std::string& list) {
  std::set<std::string> out;
  std::stringstream ss(list);
  std::string name;
  while (std::getline(ss, name, ',')) {
    if (name.empty()) continue;
    if (!known_services().count(name))
      throw ConfigError("--services: unknown service '" + name +
                        "' (names: auth, product, cart, inventory, order, payment, notification, health, dbtest, web)");
    out.insert(name);
  }
  return out;
}

void setup_logging(const Config& config) {
  // Operational logs: "<UTC time> <level> <message>" on stdout. The access log
  // (info level, off at LOG_LEVEL=warn) is its own logger writing one JSON object
  // per line, so log shippers can parse it as it is.
  auto logger = spdlog::stdout_logger_mt("cloudretail");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  auto access = spdlog::stdout_logger_mt("access");
  access->set_pattern("%v");
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"CloudRetail: an e-commerce backend"};
  cli.require_subcommand(1);

  std::string services;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP API (all nine services by default)");
  serve_cmd->add_option("--services", services, "Comma-separated services to run here");
  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply database migrations and exit");
  auto* seed_cmd = cli.add_subcommand("seed", "Load the demo catalog with stock and images");
  auto* routes_cmd = cli.add_subcommand("routes", "Print every route the router serves: METHOD PATTERN GUARD");
  auto* admin_cmd = cli.add_subcommand("admin", "Administrative tasks");
  admin_cmd->require_subcommand(1);
  std::string email, password;
  auto* admin_create = admin_cmd->add_subcommand("create", "Create a confirmed admin user");
  admin_create->add_option("--email", email)->required();
  admin_create->add_option("--password", password)->required();
  std::string backup_to, restore_from;
  auto* backup_cmd =
      cli.add_subcommand("backup", "Write a consistent copy of the SQLite database while the shop serves");
  backup_cmd->add_option("--to", backup_to, "The backup file to write")->required();
  auto* restore_cmd = cli.add_subcommand("restore", "Put a backup in place of the SQLite database (server stopped)");
  restore_cmd->add_option("--from", restore_from, "The backup file to restore")->required();

  CLI11_PARSE(cli, argc, argv);

  Config config;
  try {
    config = Config::from_env();
    if (!services.empty()) config.services = parse_services(services);
  } catch (const ConfigError& e) {
    fmt::print(stderr, "cloudretail: configuration error: {}\n", e.what());
    return 2;
  }
  // Before build_app: these two must not open the database the way serve does.
  if (*backup_cmd) return app::run_backup(config, backup_to);
  if (*restore_cmd) return app::run_restore(config, restore_from);
  setup_logging(config);

  try {
    auto app = app::build_app(config);
    if (*serve_cmd) return app::serve(*app);
    if (*routes_cmd) {
      // What tests/openapi compares with the OpenAPI document, route for route.
      for (const auto& route : app->router.routes())
        fmt::print("{} {} {}\n", http::method_name(route->method), route->pattern, http::guard_name(route->guard));
      return 0;
    }
    if (!app::prepare_database(*app)) return 1;
    if (*migrate_cmd) {
      fmt::print("migrations applied\n");
      return 0;
    }
    if (*seed_cmd) {
      for (auto& task : app->seed_tasks) task();
      fmt::print("demo catalog loaded\n");
      return 0;
    }
    if (*admin_create) {
      if (!app->create_admin) {
        fmt::print(stderr, "cloudretail: the auth service is not available in this build\n");
        return 1;
      }
      std::string err = app->create_admin(email, password);
      if (!err.empty()) {
        fmt::print(stderr, "cloudretail: {}\n", err);
        return 1;
      }
      fmt::print("admin {} ready\n", email);
      return 0;
    }
  } catch (const ConfigError& e) {
    // A setting that only the wiring can judge (a missing peer, MAIL_FROM's address).
    fmt::print(stderr, "cloudretail: configuration error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "cloudretail: {}\n", e.what());
    return 1;
  }
  return 0;
}
