#include "crash_vfs.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace cloudretail::test_support {

namespace {
CrashVfs* g_instance = nullptr;
sqlite3_vfs* g_base = nullptr;

constexpr size_t kHeader = (sizeof(sqlite3_file) + sizeof(void*) * 2 + 15) / 16 * 16;
}  // namespace

/// Our file: the shim's header, then the default VFS's own file object.
struct CrashVfs::File {
  sqlite3_file base;
  FileState* state;  // null for temporary files, which never matter after a crash
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(this) + kHeader); }
};
static_assert(sizeof(CrashVfs::File) <= kHeader);

namespace {
sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<CrashVfs::File*>(f)->real(); }

int x_close(sqlite3_file* f) {
  sqlite3_file* r = real_of(f);
  return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}
int x_read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xRead(r, buf, amt, off);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  sqlite3_file* r = real_of(f);
  return r->pMethods->xFileSize(r, size);
}
int x_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) {
  // A size hint may grow the file behind the undo log's back; it is only a hint.
  if (op == SQLITE_FCNTL_SIZE_HINT) return SQLITE_OK;
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device_characteristics(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }

int write_thunk(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off);
int truncate_thunk(sqlite3_file* f, sqlite3_int64 size);
int sync_thunk(sqlite3_file* f, int flags);

// Version 2: no xFetch, so SQLite never memory-maps the database past the shim.
const sqlite3_io_methods kMethods = {2,
                                     x_close,
                                     x_read,
                                     write_thunk,
                                     truncate_thunk,
                                     sync_thunk,
                                     x_file_size,
                                     x_lock,
                                     x_unlock,
                                     x_check_reserved,
                                     x_file_control,
                                     x_sector_size,
                                     x_device_characteristics,
                                     x_shm_map,
                                     x_shm_lock,
                                     x_shm_barrier,
                                     x_shm_unmap,
                                     nullptr,
                                     nullptr};

int write_thunk(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  return CrashVfs::write(f, buf, amt, off);
}
int truncate_thunk(sqlite3_file* f, sqlite3_int64 size) { return CrashVfs::truncate(f, size); }
int sync_thunk(sqlite3_file* f, int flags) { return CrashVfs::sync(f, flags); }
}  // namespace

CrashVfs& CrashVfs::install() {
  static CrashVfs* instance = [] {
    auto* self = new CrashVfs();
    g_base = sqlite3_vfs_find(nullptr);
    if (!g_base) throw std::runtime_error("no default SQLite VFS");
    self->base_ = g_base;
    self->vfs_ = std::make_unique<sqlite3_vfs>();
    sqlite3_vfs& v = *self->vfs_;
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(kHeader) + g_base->szOsFile;
    v.mxPathname = g_base->mxPathname;
    v.zName = "crashvfs";
    v.pAppData = self;
    v.xOpen = &CrashVfs::open;
    v.xDelete = &CrashVfs::remove;
    v.xAccess = [](sqlite3_vfs*, const char* p, int flags, int* out) { return g_base->xAccess(g_base, p, flags, out); };
    v.xFullPathname = [](sqlite3_vfs*, const char* p, int n, char* out) {
      return g_base->xFullPathname(g_base, p, n, out);
    };
    v.xDlOpen = [](sqlite3_vfs*, const char* p) { return g_base->xDlOpen(g_base, p); };
    v.xDlError = [](sqlite3_vfs*, int n, char* out) { g_base->xDlError(g_base, n, out); };
    v.xDlSym = [](sqlite3_vfs*, void* h, const char* s) { return g_base->xDlSym(g_base, h, s); };
    v.xDlClose = [](sqlite3_vfs*, void* h) { g_base->xDlClose(g_base, h); };
    v.xRandomness = [](sqlite3_vfs*, int n, char* out) { return g_base->xRandomness(g_base, n, out); };
    v.xSleep = [](sqlite3_vfs*, int us) { return g_base->xSleep(g_base, us); };
    v.xCurrentTime = [](sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); };
    v.xGetLastError = [](sqlite3_vfs*, int n, char* out) { return g_base->xGetLastError(g_base, n, out); };
    v.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) { return g_base->xCurrentTimeInt64(g_base, out); };
    if (sqlite3_vfs_register(&v, /*makeDflt=*/1) != SQLITE_OK) throw std::runtime_error("cannot register crashvfs");
    g_instance = self;
    return self;
  }();
  return *instance;
}

CrashVfs::FileState* CrashVfs::state_for(const std::string& path) {
  std::lock_guard lock(files_mutex_);
  auto& slot = files_[path];
  if (!slot) slot = std::make_unique<FileState>();
  return slot.get();
}

int CrashVfs::open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = reinterpret_cast<File*>(file);
  f->base.pMethods = nullptr;
  f->state = nullptr;
  f->real()->pMethods = nullptr;
  int rc = g_base->xOpen(g_base, name, f->real(), flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  f->base.pMethods = &kMethods;
  if (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL)))
    f->state = g_instance->state_for(name);
  return SQLITE_OK;
}

int CrashVfs::remove(sqlite3_vfs*, const char* path, int sync_dir) {
  if (g_instance->power_off_) return SQLITE_IOERR_DELETE;
  {
    // A deleted file has nothing left to lose.
    FileState* state = g_instance->state_for(path);
    std::lock_guard lock(state->mutex);
    state->unsynced.clear();
  }
  return g_base->xDelete(g_base, path, sync_dir);
}

int CrashVfs::write(sqlite3_file* file, const void* buf, int amt, int64_t off) {
  auto* f = reinterpret_cast<File*>(file);
  sqlite3_file* r = f->real();
  if (!f->state) return g_instance->power_off_ ? SQLITE_IOERR_WRITE : r->pMethods->xWrite(r, buf, amt, off);
  std::lock_guard lock(f->state->mutex);
  if (g_instance->power_off_) return SQLITE_IOERR_WRITE;
  sqlite3_int64 size = 0;
  if (int rc = r->pMethods->xFileSize(r, &size); rc != SQLITE_OK) return rc;
  Undo undo{off, {}, size};
  const int64_t overlap = std::max<int64_t>(0, std::min<int64_t>(off + amt, size) - off);
  if (overlap > 0) {
    undo.old_bytes.resize(static_cast<size_t>(overlap));
    if (int rc = r->pMethods->xRead(r, undo.old_bytes.data(), static_cast<int>(overlap), off); rc != SQLITE_OK)
      return rc;
  }
  f->state->unsynced.push_back(std::move(undo));
  return r->pMethods->xWrite(r, buf, amt, off);
}

int CrashVfs::truncate(sqlite3_file* file, int64_t new_size) {
  auto* f = reinterpret_cast<File*>(file);
  sqlite3_file* r = f->real();
  if (!f->state) return g_instance->power_off_ ? SQLITE_IOERR_TRUNCATE : r->pMethods->xTruncate(r, new_size);
  std::lock_guard lock(f->state->mutex);
  if (g_instance->power_off_) return SQLITE_IOERR_TRUNCATE;
  sqlite3_int64 size = 0;
  if (int rc = r->pMethods->xFileSize(r, &size); rc != SQLITE_OK) return rc;
  Undo undo{new_size, {}, size};
  if (size > new_size) {
    undo.old_bytes.resize(static_cast<size_t>(size - new_size));
    if (int rc = r->pMethods->xRead(r, undo.old_bytes.data(), static_cast<int>(size - new_size), new_size);
        rc != SQLITE_OK)
      return rc;
  }
  f->state->unsynced.push_back(std::move(undo));
  return r->pMethods->xTruncate(r, new_size);
}

int CrashVfs::sync(sqlite3_file* file, int) {
  auto* f = reinterpret_cast<File*>(file);
  if (!f->state) return g_instance->power_off_ ? SQLITE_IOERR_FSYNC : SQLITE_OK;
  std::lock_guard lock(f->state->mutex);
  if (g_instance->power_off_) return SQLITE_IOERR_FSYNC;
  // Whichever handle syncs, the file's every write so far is on the "disk" now.
  f->state->unsynced.clear();
  ++g_instance->syncs_;
  return SQLITE_OK;
}

void CrashVfs::cut_power() {
  // Taking each file's lock orders the cut after any write or sync in flight.
  std::lock_guard files_lock(files_mutex_);
  power_off_ = true;
  for (auto& [path, state] : files_) std::lock_guard lock(state->mutex);
}

uint64_t CrashVfs::reboot() {
  std::lock_guard files_lock(files_mutex_);
  uint64_t dropped = 0;
  for (auto& [path, state] : files_) {
    std::lock_guard lock(state->mutex);
    if (state->unsynced.empty()) continue;
    int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0) throw std::runtime_error("reboot: cannot open " + path);
    for (auto it = state->unsynced.rbegin(); it != state->unsynced.rend(); ++it, ++dropped) {
      if (!it->old_bytes.empty() && ::pwrite(fd, it->old_bytes.data(), it->old_bytes.size(), it->offset) !=
                                        static_cast<ssize_t>(it->old_bytes.size()))
        throw std::runtime_error("reboot: cannot restore " + path);
      if (::ftruncate(fd, it->old_size) != 0) throw std::runtime_error("reboot: cannot truncate " + path);
    }
    ::close(fd);
    state->unsynced.clear();
  }
  power_off_ = false;
  return dropped;
}

}  // namespace cloudretail::test_support
