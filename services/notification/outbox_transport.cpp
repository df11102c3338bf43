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
  const std::string name = file_stamp(m.created_at_ms) + "-" + m.id + ".eml";
  const std::string final_path = dir_ + "/" + name;
  // A dot-file without the .eml suffix: readers globbing *.eml never see it half-written.
  const std::string temp_path = dir_ + "/." + name + ".tmp";
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);  // recreated if someone removed it

  int fd =
      ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);  // codes inside: not world-readable
  if (fd < 0) return unavailable(std::string("outbox write failed: ") + std::strerror(errno));
  bool ok = write_all(fd, m.data) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    if (ok) saved = errno;
    ::unlink(temp_path.c_str());
    return unavailable(std::string("outbox write failed: ") + std::strerror(saved));
  }
  // Make the rename itself durable.
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return ok_status();
}

}  // namespace cloudretail::notification
