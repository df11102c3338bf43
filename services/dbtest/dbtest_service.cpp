#include "dbtest/dbtest_service.hpp"

#include "dbtest/dbtest_repository.hpp"

namespace cloudretail::dbtest {

Result<DbTestOutcome> DbTestService::write_and_read() {
  DemoRecord record{"P-DEMO-001", "Demo Product", "Demo", "USD", 999, clock_.now_ms()};
  repo_.upsert(record);
  auto read = repo_.find(record.product_id);
  if (!read) return internal_error();
  return DbTestOutcome{record, *read};
}

}  // namespace cloudretail::dbtest
