#pragma once
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace cloudretail::dbtest {

/// The original's P-DEMO-001 record.
struct DemoRecord {
  std::string product_id, name, category, currency;
  int64_t price_minor = 0;
  int64_t created_at_ms = 0;
};

struct DbTestOutcome {
  DemoRecord wrote, read;
};

class DbTestRepository;

/// Writes the demo record to the diagnostics table (never the catalog) and reads it back.
class DbTestService {
 public:
  DbTestService(DbTestRepository& repo, const Clock& clock) : repo_(repo), clock_(clock) {}
  Result<DbTestOutcome> write_and_read();

 private:
  DbTestRepository& repo_;
  const Clock& clock_;
};

}  // namespace cloudretail::dbtest
