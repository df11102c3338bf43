#pragma once
/// What an operator graphs and alerts on beyond request counts and latency
/// (libs/http/metrics): orders by state, the age of the oldest queued email,
/// and a periodic inventory audit. The dashboard and alert rules in deploy/
/// name these metrics; the wire_* functions call these once their service runs.
#include "app.hpp"
#include "notification/notification_repository.hpp"
#include "order/order_repository.hpp"
#include "order/order_service.hpp"

namespace cloudretail::app {

/// cloudretail_orders{state}, and cloudretail_inventory_audit_{ok,discrepancies,
/// checked,last_run_timestamp_seconds} from an audit every
/// INVENTORY_AUDIT_INTERVAL_SECONDS (so "audit failing" can be an alert).
void publish_order_metrics(App& app, order::OrderService& service, order::OrderRepository& repo);

/// The database's pool and group-commit totals (db::DbStats) as cloudretail_db_*.
void publish_database_metrics(App& app);

/// cloudretail_email_queue_oldest_age_seconds: 0 when nothing waits.
void publish_email_metrics(App& app, notification::NotificationRepository& repo);

}  // namespace cloudretail::app
