#pragma once
/// A test VFS that simulates a power cut, the way SQLite's own crash tests do: it sits
/// on the default VFS, remembers every write since each file's last sync, and at a
/// "crash" throws those writes away. Syncs do not reach the disk (the test needs the
/// bookkeeping, not the platters), so crashing is the only way data is lost.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3_vfs;
struct sqlite3_file;

namespace cloudretail::test_support {

class CrashVfs {
 public:
  /// Registers the shim as SQLite's default VFS (once per process) and returns it.
  static CrashVfs& install();

  /// The power goes out: from now on every write, truncate, sync and delete fails,
  /// so nothing more reaches the "disk".
  void cut_power();
  /// With every connection closed: undoes each write made after its file's last
  /// sync (newest first), as the disk would have lost them, then restores power.
  /// Returns how many writes were thrown away.
  uint64_t reboot();

  uint64_t syncs() const { return syncs_.load(); }

  // The VFS entry points (sqlite3_vfs and sqlite3_io_methods call these).
  struct File;
  static int open(sqlite3_vfs*, const char*, sqlite3_file*, int, int*);
  static int remove(sqlite3_vfs*, const char*, int);
  static int write(sqlite3_file*, const void*, int, int64_t);
  static int truncate(sqlite3_file*, int64_t);
  static int sync(sqlite3_file*, int);

 private:
  struct Undo {
    int64_t offset;
    std::string old_bytes;  // what the write overwrote (within the old size)
    int64_t old_size;       // the file's size before the write
  };
  struct FileState {  // one per path: every handle on a file shares it
    std::mutex mutex;
    std::vector<Undo> unsynced;
  };

  FileState* state_for(const std::string& path);

  sqlite3_vfs* base_ = nullptr;
  std::unique_ptr<sqlite3_vfs> vfs_;
  std::atomic<bool> power_off_{false};
  std::atomic<uint64_t> syncs_{0};
  std::mutex files_mutex_;
  std::unordered_map<std::string, std::unique_ptr<FileState>> files_;
};

}  // namespace cloudretail::test_support
