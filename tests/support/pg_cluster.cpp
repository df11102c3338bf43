#include "pg_cluster.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace cloudretail::testing {

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

/// postgresql://user@host:port/db?opts -> the same URL naming database `name`.
std::string with_database(const std::string& url, const std::string& name) {
  auto scheme = url.find("://");
  size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t query = url.find('?', start);
  size_t slash = url.find('/', start);
  if (slash != std::string::npos && (query == std::string::npos || slash < query)) {
    return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
  }
  if (query == std::string::npos) return url + "/" + name;
  return url.substr(0, query) + "/" + name + url.substr(query);
}

std::string random_name() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  static const char* kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out = "t_";
  for (int i = 0; i < 16; ++i) out += kAlphabet[rng() % 36];
  return out;
}

}  // namespace

std::optional<std::string> pg_admin_url() {
  if (const char* url = std::getenv("CLOUDRETAIL_TEST_PG_URL"); url && *url) return trim(url);
  if (const char* file = std::getenv("CLOUDRETAIL_TEST_PG_URL_FILE"); file && *file) {
    std::ifstream in(file);
    std::string line;
    if (in && std::getline(in, line) && !trim(line).empty()) return trim(line);
  }
  return std::nullopt;
}

std::optional<std::string> fresh_pg_database() {
  auto admin = pg_admin_url();
  if (!admin) return std::nullopt;
  PGconn* conn = PQconnectdb(admin->c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test PostgreSQL unreachable at " + *admin + ": " + msg);
  }
  std::string name = random_name();
  // FILE_COPY (PostgreSQL 15+) copies the files instead of WAL-logging every block:
  // about twice as fast for these tiny databases.
  std::string sql = "CREATE DATABASE " + name + " TEMPLATE template0";
  if (PQserverVersion(conn) >= 150000) sql += " STRATEGY FILE_COPY";
  PGresult* res = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string msg = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("CREATE DATABASE " + name + " failed: " + msg);
  return with_database(*admin, name);
}

bool testing_on_postgres() {
  const char* db = std::getenv("CLOUDRETAIL_TEST_DATABASE");
  return db && (std::string(db) == "pg" || std::string(db) == "postgres" || std::string(db) == "postgresql");
}

}  // namespace cloudretail::testing
