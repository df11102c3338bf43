#pragma once
#include "core/clock.hpp"
#include "db/database.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace cloudretail::health {

/// GET /health (liveness, the original's body), GET /health/ready (the database
/// answers) and GET /metrics (Prometheus text). Runs in every process.
void register_routes(http::Router& router, db::Database& db, const Clock& clock, const http::Metrics& metrics);

}  // namespace cloudretail::health
