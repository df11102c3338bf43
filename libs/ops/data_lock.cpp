#include "ops/data_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cloudretail::ops {

Result<DataLock> DataLock::acquire(const std::string& database_path, Mode mode) {
  const std::string path = path_for(database_path);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  // A lock file created by another user (root ran `migrate`) still locks read-only.
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorCode::kInternal, "cannot open lock file " + path + ": " + std::strerror(errno));
  const int op = (mode == Mode::kShared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  int rc;
  do rc = ::flock(fd, op);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return conflict("held by another process (" + path + ")");
    return make_error(ErrorCode::kInternal, "cannot lock " + path + ": " + std::strerror(err));
  }
  return DataLock(fd);
}

DataLock& DataLock::operator=(DataLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataLock::~DataLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace cloudretail::ops
