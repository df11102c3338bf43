// The state machines as enums: each status's text round-trips (the text is what
// tables and the wire hold, so it must never drift), unknown text is refused, and
// the order's legal moves are exactly the documented diagram.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "notification/email_status.hpp"
#include "order/order_status.hpp"
#include "payment/payment_status.hpp"

using namespace cloudretail;
using order::OrderStatus;

TEST(OrderStatus, TextRoundTripsAndIsTheStoredText) {
  std::set<std::string> texts;
  for (OrderStatus s : order::kAllOrderStatuses) {
    const std::string text(order::to_string(s));
    EXPECT_EQ(order::parse_order_status(text), s) << text;
    texts.insert(text);
  }
  EXPECT_EQ(texts, (std::set<std::string>{"CREATING", "ABORTED", "RESERVING", "PENDING", "CONFIRMED", "PAYMENT_FAILED",
                                          "CANCELLED", "EXPIRED", "SHIPPED", "REFUNDED"}));
  for (const char* bad : {"", "pending", "Pending", "PAID", "PENDING ", "UNKNOWN"})
    EXPECT_FALSE(order::parse_order_status(bad).has_value()) << bad;
}

TEST(OrderStatus, InternalStatusesAreNotPublic) {
  std::set<OrderStatus> internal;
  for (OrderStatus s : order::kAllOrderStatuses)
    if (!order::is_public(s)) internal.insert(s);
  EXPECT_EQ(internal, (std::set<OrderStatus>{OrderStatus::kCreating, OrderStatus::kAborted, OrderStatus::kReserving}));
}

TEST(OrderStatus, LegalMovesAreExactlyTheDiagram) {
  using S = OrderStatus;
  const std::set<std::pair<S, S>> legal{
      {S::kCreating, S::kPending},        {S::kCreating, S::kAborted},        {S::kPending, S::kConfirmed},
      {S::kPending, S::kPaymentFailed},   {S::kPending, S::kCancelled},       {S::kPending, S::kExpired},
      {S::kPaymentFailed, S::kReserving}, {S::kPaymentFailed, S::kCancelled}, {S::kReserving, S::kConfirmed},
      {S::kReserving, S::kPaymentFailed}, {S::kConfirmed, S::kShipped},       {S::kConfirmed, S::kRefunded},
      {S::kShipped, S::kRefunded}};
  for (S from : order::kAllOrderStatuses)
    for (S to : order::kAllOrderStatuses)
      EXPECT_EQ(order::can_transition(from, to), legal.count({from, to}) == 1)
          << order::to_string(from) << " -> " << order::to_string(to);
  // Paid orders are the ones a further payment must not touch.
  EXPECT_TRUE(order::was_paid(S::kConfirmed));
  EXPECT_TRUE(order::was_paid(S::kShipped));
  EXPECT_TRUE(order::was_paid(S::kRefunded));
  EXPECT_FALSE(order::was_paid(S::kPending));
  EXPECT_FALSE(order::was_paid(S::kPaymentFailed));
}

TEST(PaymentStatus, TextRoundTrips) {
  using payment::PaymentStatus;
  for (auto [s, text] : {std::pair{PaymentStatus::kSuccess, "SUCCESS"}, std::pair{PaymentStatus::kFailed, "FAILED"},
                         std::pair{PaymentStatus::kRefunded, "REFUNDED"}}) {
    EXPECT_EQ(payment::to_string(s), text);
    EXPECT_EQ(payment::parse_payment_status(text), s);
  }
  EXPECT_FALSE(payment::parse_payment_status("success").has_value());
  EXPECT_FALSE(payment::parse_payment_status("").has_value());
}

TEST(PaymentState, TextRoundTrips) {
  using payment::PaymentState;
  for (auto [s, text] : {std::pair{PaymentState::kPending, "pending"}, std::pair{PaymentState::kApplied, "applied"}}) {
    EXPECT_EQ(payment::to_string(s), text);
    EXPECT_EQ(payment::parse_payment_state(text), s);
  }
  EXPECT_FALSE(payment::parse_payment_state("PENDING").has_value());
}

TEST(PaymentEmailState, TextRoundTripsAndAnAttemptEndsSentQueuedOrFailed) {
  using payment::EmailState;
  for (auto [s, text] : {std::pair{EmailState::kNone, "none"}, std::pair{EmailState::kPending, "pending"},
                         std::pair{EmailState::kSent, "sent"}, std::pair{EmailState::kQueued, "queued"},
                         std::pair{EmailState::kFailed, "failed"}}) {
    EXPECT_EQ(payment::to_string(s), text);
    EXPECT_EQ(payment::parse_email_state(text), s);
  }
  EXPECT_FALSE(payment::parse_email_state("retry").has_value());
  EXPECT_EQ(payment::after_attempt(true, true), EmailState::kSent);
  EXPECT_EQ(payment::after_attempt(true, false), EmailState::kQueued);
  EXPECT_EQ(payment::after_attempt(false, false), EmailState::kFailed);
}

TEST(EmailQueueStatus, TextRoundTrips) {
  using notification::EmailStatus;
  for (auto [s, text] : {std::pair{EmailStatus::kQueued, "queued"}, std::pair{EmailStatus::kSent, "sent"},
                         std::pair{EmailStatus::kFailed, "failed"}}) {
    EXPECT_EQ(notification::to_string(s), text);
    EXPECT_EQ(notification::parse_email_status(text), s);
  }
  EXPECT_FALSE(notification::parse_email_status("QUEUED").has_value());
}
