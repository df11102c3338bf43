#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/clock.hpp"
#include "notification/transport.hpp"

namespace cloudretail::notification {

namespace {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// 2026-02-03T10:00:00.000Z -> 20260203T100000.000Z: sorts by time, no ':' in names.
std::string file_stamp(int64_t ms) {
  std::string iso = format_timestamp(ms);
  std::string out;
  for (char c : iso)
    if (c != '-' && c != ':') out += c;
  return out;
}

}  // namespace

OutboxTransport::OutboxTransport(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("cannot create outbox directory " + dir_ + ": " + ec.message());
}

Status OutboxTransport::deliver(const OutgoingMessage& m) {
  const std::string final_path = dir_ + "/" + file_stamp(m.created_at_ms) + "-" + m.id + ".eml";
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);  // recreated if someone removed it
  Status written = write_named(final_path, m.data);
  if (!written) return written;
  sync_directory();
  return ok_status();
}

Status OutboxTransport::write_named(const std::string& final_path, const std::string& data) {
  // Codes inside: not world-readable.
  int fd = ::open(dir_.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0640);
  if (fd < 0) return write_renamed(final_path, data);  // no O_TMPFILE here
  bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  int saved = errno;
  if (ok) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, final_path.c_str(), AT_SYMLINK_FOLLOW) != 0 && errno != EEXIST) {
      // No /proc, or no links allowed here: name it the old way. (EEXIST: an earlier
      // attempt of this message wrote it whole, which is all a retry wants.)
      ::close(fd);
      return write_renamed(final_path, data);
    }
  }
  ::close(fd);  // an unlinked temp file vanishes with its descriptor
  if (!ok) return unavailable(std::string("outbox write failed: ") + std::strerror(saved));
  return ok_status();
}

Status OutboxTransport::write_renamed(const std::string& final_path, const std::string& data) {
  // A dot-file without the .eml suffix: readers globbing *.eml never see it half-written.
  const std::string name = final_path.substr(dir_.size() + 1);
  const std::string temp_path = dir_ + "/." + name + ".tmp";
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return unavailable(std::string("outbox write failed: ") + std::strerror(errno));
  bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(temp_path.c_str());
    return unavailable(std::string("outbox write failed: ") + std::strerror(saved));
  }
  return ok_status();
}

void OutboxTransport::sync_directory() {
  std::unique_lock lock(sync_mutex_);
  const uint64_t mine = ++linked_;  // counted after this delivery's name exists
  while (durable_ < mine) {
    if (syncing_) {  // a sync already running may have started before our link: wait, then check
      synced_.wait(lock);
      continue;
    }
    syncing_ = true;
    const uint64_t covers = linked_;  // every name counted so far exists before this fsync starts
    lock.unlock();
    int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
    lock.lock();
    syncing_ = false;
    durable_ = std::max(durable_, covers);
    synced_.notify_all();
  }
}

}  // namespace cloudretail::notification
