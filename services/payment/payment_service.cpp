#include "payment/payment_service.hpp"

#include "core/crypto.hpp"

namespace cloudretail::payment {

namespace {
notification::EmailRequest email_for(const PaymentRecord& p, const std::string& email) {
  notification::EmailRequest req;
  req.type = p.status == "SUCCESS" ? notification::EmailType::kOrderConfirmed : notification::EmailType::kPaymentFailed;
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

  auto applied = orders_.apply_payment(order_id, success);
  if (!applied) return applied.error();

  PaymentOutcome out;
  out.order = std::move(applied->order);
  out.release = std::move(applied->release);
  PaymentRecord& p = out.payment;
  p.payment_id = "PAY-" + crypto::uuid4();
  p.order_id = order_id;
  p.user_id = out.order.user_id;
  p.amount_minor = out.order.total_minor;
  p.currency = out.order.currency;
  p.status = success ? "SUCCESS" : "FAILED";
  p.created_at_ms = clock_.now_ms();
  p.email_type = success ? "order-confirmed" : "payment-failed";
  p.email_to = out.order.user_email;
  p.email_state = out.order.user_email.empty() ? "none" : "pending";
  repo_.insert(p);
  if (payments_) payments_->fetch_add(1, std::memory_order_relaxed);

  if (!p.email_to.empty()) out.email = send_email(p, out.order);
  return out;
}

EmailOutcome PaymentService::send_email(PaymentRecord& p, const order::OrderInfo& order) {
  EmailOutcome e;
  e.attempted = true;
  e.type = p.email_type;
  e.to_email = p.email_to;
  ++p.email_attempts;
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
  // Queued counts as handed over: the notification service retries delivery itself.
  p.email_state = e.success ? (e.delivered ? "sent" : "queued") : "failed";
  repo_.set_email_state(p.payment_id, p.email_state, p.email_attempts);
  return e;
}

Result<PaymentRecord> PaymentService::get(const Caller& caller, const std::string& payment_id) {
  auto p = repo_.find(payment_id);
  if (!p) return not_found("Payment not found");
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
    repo_.set_email_state(p.payment_id, r ? (r->delivered ? "sent" : "queued") : "failed", p.email_attempts);
  }
  return sent;
}

}  // namespace cloudretail::payment
