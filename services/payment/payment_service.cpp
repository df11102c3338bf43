#include "payment/payment_service.hpp"

#include "core/crypto.hpp"

namespace cloudretail::payment {

namespace {
notification::EmailRequest email_for(const PaymentRecord& p, const std::string& email) {
  notification::EmailRequest req;
  req.type = p.status == PaymentStatus::kSuccess ? notification::EmailType::kOrderConfirmed
                                                 : notification::EmailType::kPaymentFailed;
  req.email = email;
  req.user_id = p.user_id;
  req.order_id = p.order_id;
  req.amount_minor = p.amount_minor;
  req.currency = p.currency;
  return req;
}
}  // namespace

Result<PaymentOutcome> PaymentService::pay(const Caller& caller, const std::string& order_id, bool success) {
  auto order = orders_.get(order_id);
  if (!order) return order.error();
  if (order->user_id != caller.user_id && !caller.privileged)
    return forbidden("You may only pay your own orders", "AccessDeniedException");

  PaymentOutcome out;
  PaymentRecord& p = out.payment;
  p.payment_id = "PAY-" + crypto::uuid4();
  p.order_id = order_id;
  p.user_id = order->user_id;
  p.amount_minor = order->total_minor;  // an order's lines and total never change
  p.currency = order->currency;
  p.status = success ? PaymentStatus::kSuccess : PaymentStatus::kFailed;
  p.created_at_ms = clock_.now_ms();
  p.email_type = success ? "order-confirmed" : "payment-failed";
  p.email_to = order->user_email;
  // An order placed without an address (before tokens carried one): its owner's account address.
  if (p.email_to.empty() && caller.user_id == order->user_id) p.email_to = caller.email;
  p.email_state = p.email_to.empty() ? EmailState::kNone : EmailState::kPending;
  p.state = PaymentState::kPending;
  const bool email_in_transaction = outbox_ && shared_database_ && !p.email_to.empty();
  std::optional<notification::QueuedNotification> queued;
  {
    // One transaction (one commit instead of four or more) when orders, inventory and
    // notifications share our database; the pending row then never shows outside it.
    // Else each step commits on its own and the payment is written pending first: if
    // this process dies after the order took it, reconcile_pending() still finds it.
    db::SharedTransaction unit(shared_database_);
    // A refused attempt commits nothing else; a counted one stays counted.
    if (!repo_.take_attempt(order_id, kMaxPaymentAttempts))
      return conflict("Too many payment attempts", "TooManyPaymentAttempts");
    repo_.insert(p);

    auto applied = orders_.apply_payment(order_id, success);
    if (!applied) {
      repo_.remove_pending(p.payment_id);
      return applied.error();
    }
    repo_.mark_applied(p.payment_id);
    out.order = std::move(applied->order);
    out.release = std::move(applied->release);
    if (email_in_transaction) queued = queue_email(p, out.email);
  }
  p.state = PaymentState::kApplied;
  if (payments_) payments_->fetch_add(1, std::memory_order_relaxed);

  if (queued) {
    // Committed with the payment: deliver now; the notification service retries if not.
    out.email.delivered = outbox_->deliver(*queued);
  } else if (!email_in_transaction && !p.email_to.empty()) {
    out.email = send_email(p);
  }
  return out;
}

std::optional<notification::QueuedNotification> PaymentService::queue_email(PaymentRecord& p, EmailOutcome& e) {
  e = start_attempt(p);
  auto queued = outbox_->queue(email_for(p, p.email_to));
  if (queued) {
    e.success = true;
    if (!queued->outcome.to_email.empty()) e.to_email = queued->outcome.to_email;
  } else {
    e.error = queued.error().message;  // retried by retry_failed_emails()
  }
  // Handed over counts as queued: whether it then went out is the notification queue's record.
  record_attempt(p, e);
  if (!queued) return std::nullopt;
  return std::move(queued).value();
}

int PaymentService::reconcile_pending(int64_t grace_ms) {
  int settled = 0;
  for (auto& p : repo_.stale_pending(clock_.now_ms() - grace_ms, 50)) {
    const bool success = p.status == PaymentStatus::kSuccess;
    auto order = orders_.get(p.order_id);
    if (!order) {
      if (order.error().code == ErrorCode::kNotFound) repo_.remove_pending(p.payment_id);
      continue;  // unreachable: try again later
    }
    // Already taken by the order (the process died after telling it)?
    // A paid order may have moved on to SHIPPED or REFUNDED since.
    bool taken = success ? order::was_paid(order->status) : order->status == order::OrderStatus::kPaymentFailed;
    if (!taken) {
      auto applied = orders_.apply_payment(p.order_id, success);
      if (!applied) {
        if (applied.error().code != ErrorCode::kUnavailable) repo_.remove_pending(p.payment_id);
        continue;
      }
    }
    repo_.mark_applied(p.payment_id);
    if (payments_) payments_->fetch_add(1, std::memory_order_relaxed);
    // The email was never sent (or we cannot tell): hand it to the retry loop.
    if (!p.email_to.empty() && p.email_state == EmailState::kPending)
      repo_.set_email_state(p.payment_id, EmailState::kFailed, 0);
    ++settled;
  }
  return settled;
}

EmailOutcome PaymentService::start_attempt(PaymentRecord& p) {
  EmailOutcome e;
  e.attempted = true;
  e.type = p.email_type;
  e.to_email = p.email_to;
  ++p.email_attempts;
  return e;
}

void PaymentService::record_attempt(PaymentRecord& p, const EmailOutcome& e) {
  p.email_state = after_attempt(e.success, e.delivered);
  repo_.set_email_state(p.payment_id, p.email_state, p.email_attempts);
}

EmailOutcome PaymentService::send_email(PaymentRecord& p) {
  EmailOutcome e = start_attempt(p);
  if (!notifications_) {
    e.error = "Notification service error";
  } else {
    auto sent = notifications_->send(email_for(p, p.email_to));
    if (sent) {
      e.success = true;
      e.delivered = sent->delivered;
      if (!sent->to_email.empty()) e.to_email = sent->to_email;
    } else {
      e.error = sent.error().message;
    }
  }
  record_attempt(p, e);
  return e;
}

Result<PaymentRecord> PaymentService::get(const Caller& caller, const std::string& payment_id) {
  auto p = repo_.find(payment_id);
  if (!p || p->state != PaymentState::kApplied) return not_found("Payment not found");
  if (p->user_id != caller.user_id && !caller.privileged)
    return forbidden("You may only access your own payments", "AccessDeniedException");
  return *p;
}

int PaymentService::retry_failed_emails() {
  if (!notifications_) return 0;
  int sent = 0;
  for (auto& p : repo_.failed_emails(kMaxEmailAttempts, 50)) {
    auto r = notifications_->send(email_for(p, p.email_to));
    ++p.email_attempts;
    if (r) ++sent;
    repo_.set_email_state(p.payment_id, after_attempt(r.ok(), r && r->delivered), p.email_attempts);
  }
  return sent;
}

}  // namespace cloudretail::payment
