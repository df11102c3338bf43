#include "dbtest/dbtest_routes.hpp"

#include "core/json_writer.hpp"

namespace cloudretail::dbtest {

namespace {
void write_record(JsonWriter& w, const DemoRecord& r) {
  w.begin_object()
      .field("productId", r.product_id)
      .field("name", r.name)
      .field("category", r.category)
      .money_field("price", r.price_minor)
      .field("currency", r.currency)
      .field("createdAt", format_timestamp(r.created_at_ms))
      .end_object();
}
}  // namespace

void register_routes(http::Router& router, DbTestService& service) {
  router.add(http::Method::kGet, "/db-test", [&service](http::Request&) -> Result<http::Response> {
    auto outcome = service.write_and_read();
    if (!outcome) return outcome.error();
    JsonWriter w;
    w.begin_object().field("message", "DB write + read success").key("wrote");
    write_record(w, outcome->wrote);
    w.key("read");
    write_record(w, outcome->read);
    w.end_object();
    return http::Response::json(200, w.take());
  });
}

}  // namespace cloudretail::dbtest
