#pragma once
/// Who holds the SQLite database. Every process that opens it (serve, migrate,
/// seed, admin, backup) holds a shared flock(2) on "<database>.lock"; restore
/// takes it exclusive, so it refuses while any of them runs and they refuse to
/// start while a restore swaps the file. The kernel drops the lock when the
/// process ends, kill -9 included: there is never a stale lock to clean up.
#include <string>

#include "core/result.hpp"

namespace cloudretail::ops {

class DataLock {
 public:
  enum class Mode { kShared, kExclusive };

  /// Does not wait: an incompatible holder gives ErrorCode::kConflict.
  static Result<DataLock> acquire(const std::string& database_path, Mode mode);
  static std::string path_for(const std::string& database_path) { return database_path + ".lock"; }

  DataLock(DataLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataLock& operator=(DataLock&& other) noexcept;
  DataLock(const DataLock&) = delete;
  DataLock& operator=(const DataLock&) = delete;
  ~DataLock();

 private:
  explicit DataLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace cloudretail::ops
