#pragma once
/// The one loop behind every background task (email delivery, order expiry,
/// payment reconciliation, purges, the inventory audit): call, wait, repeat,
/// until shutdown.
#include <chrono>
#include <functional>
#include <stop_token>
#include <string_view>

namespace cloudretail {

/// Calls `fn` at once, then again `period` after each call returns, until `stop`
/// is requested. A stop request ends the wait at once, so shutdown never waits out
/// a period. An exception from `fn` is logged as "<what>: <message>" and the loop
/// goes on: a database that is down for a while must not end the task for good.
void run_every(std::chrono::milliseconds period, std::stop_token stop, const std::function<void()>& fn,
               std::string_view what = "background task");

}  // namespace cloudretail
