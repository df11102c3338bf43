#include "http/server/connections.hpp"

namespace cloudretail::http {

void Connections::add(const std::shared_ptr<Session>& session) {
  live_.fetch_add(1);
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void Connections::remove(const Session* session) {
  live_.fetch_sub(1);
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (sessions_.empty()) emptied_.notify_all();
}

std::vector<std::shared_ptr<Session>> Connections::begin_closing() {
  std::lock_guard lock(mutex_);
  closing_ = true;
  std::vector<std::shared_ptr<Session>> live;
  for (auto& [_, weak] : sessions_)
    if (auto s = weak.lock()) live.push_back(std::move(s));
  return live;
}

bool Connections::wait_until_empty(std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
}

}  // namespace cloudretail::http
