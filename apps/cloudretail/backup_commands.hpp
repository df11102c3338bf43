#pragma once
/// `cloudretail backup --to FILE` and `cloudretail restore --from FILE`.
#include <string>

#include "core/config.hpp"

namespace cloudretail::app {

/// Exit codes: 0 done, 1 failed (one line on stderr saying why). On PostgreSQL
/// both print how to use pg_dump / pg_restore instead and return 1, so a backup
/// script never mistakes the explanation for a backup.
int run_backup(const Config& config, const std::string& to);
int run_restore(const Config& config, const std::string& from);

}  // namespace cloudretail::app
