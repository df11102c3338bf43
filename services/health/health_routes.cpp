#include "health/health_routes.hpp"

#include "core/json_writer.hpp"

namespace cloudretail::health {

void register_routes(http::Router& router, db::Database& db, const Clock& clock, const http::Metrics& metrics) {
  router.add(http::Method::kGet, "/health",
             [&clock](http::Request& req) {
               JsonWriter w;
               w.begin_object()
                   .field("status", "ok")
                   .field("service", "health-service")
                   .field("timestamp", format_timestamp(clock.now_ms()))
                   .field("requestId", req.request_id)
                   .end_object();
               return http::Response::json(200, w.take());
             },
             {.blocking = false});

  router.add(http::Method::kGet, "/health/ready", [&db, &clock](http::Request& req) {
    bool up = db.ping();
    JsonWriter w;
    w.begin_object()
        .field("status", up ? "ready" : "unavailable")
        .field("database", up ? "ok" : "down")
        .field("timestamp", format_timestamp(clock.now_ms()))
        .field("requestId", req.request_id)
        .end_object();
    return http::Response::json(up ? 200 : 503, w.take());
  });

  router.add(http::Method::kGet, "/metrics",
             [&metrics](http::Request&) {
               http::Response r;
               r.body = metrics.render();
               r.content_type = "text/plain; version=0.0.4; charset=utf-8";
               return r;
             },
             {.blocking = false});
}

}  // namespace cloudretail::health
