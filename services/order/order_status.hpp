#pragma once
/// The order state machine. Text ("PENDING") exists only where orders are stored
/// (orders.status) and where they go on the wire; in between it is this enum.
///
///   CREATING -> PENDING | ABORTED            checkout reserved everything, or not
///   PENDING -> CONFIRMED | PAYMENT_FAILED | CANCELLED | EXPIRED
///   PAYMENT_FAILED -> RESERVING | CANCELLED  a paying retry re-reserves stock
///   RESERVING -> CONFIRMED | PAYMENT_FAILED
///   CONFIRMED -> SHIPPED | REFUNDED          refund before shipping puts stock back
///   SHIPPED -> REFUNDED
#include <array>
#include <optional>
#include <string_view>

namespace cloudretail::order {

enum class OrderStatus {
  kCreating,   // checkout under way, stock being reserved; internal, hidden
  kAborted,    // checkout refused or crashed; internal, hidden
  kReserving,  // paying a PAYMENT_FAILED order: re-reserving; internal, shown as PAYMENT_FAILED
  kPending,
  kConfirmed,
  kPaymentFailed,
  kCancelled,
  kExpired,
  kShipped,   // the stock left for good
  kRefunded,  // from CONFIRMED (stock back) or SHIPPED
};

inline constexpr std::array kAllOrderStatuses{
    OrderStatus::kCreating,  OrderStatus::kAborted,       OrderStatus::kReserving, OrderStatus::kPending,
    OrderStatus::kConfirmed, OrderStatus::kPaymentFailed, OrderStatus::kCancelled, OrderStatus::kExpired,
    OrderStatus::kShipped,   OrderStatus::kRefunded};

constexpr std::string_view to_string(OrderStatus s) {
  switch (s) {
    case OrderStatus::kCreating:
      return "CREATING";
    case OrderStatus::kAborted:
      return "ABORTED";
    case OrderStatus::kReserving:
      return "RESERVING";
    case OrderStatus::kPending:
      return "PENDING";
    case OrderStatus::kConfirmed:
      return "CONFIRMED";
    case OrderStatus::kPaymentFailed:
      return "PAYMENT_FAILED";
    case OrderStatus::kCancelled:
      return "CANCELLED";
    case OrderStatus::kExpired:
      return "EXPIRED";
    case OrderStatus::kShipped:
      return "SHIPPED";
    case OrderStatus::kRefunded:
      return "REFUNDED";
  }
  return "UNKNOWN";
}

/// The inverse of to_string (exact, upper case); nullopt for anything else.
constexpr std::optional<OrderStatus> parse_order_status(std::string_view text) {
  for (OrderStatus s : kAllOrderStatuses)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

/// The statuses users see; CREATING, ABORTED and RESERVING never leave the service.
constexpr bool is_public(OrderStatus s) {
  return s != OrderStatus::kCreating && s != OrderStatus::kAborted && s != OrderStatus::kReserving;
}

/// Paid and past it: a payment on these is a repeat, never a retry.
constexpr bool was_paid(OrderStatus s) {
  return s == OrderStatus::kConfirmed || s == OrderStatus::kShipped || s == OrderStatus::kRefunded;
}

/// The legal moves of the diagram above; every state change the service makes is one.
constexpr bool can_transition(OrderStatus from, OrderStatus to) {
  using S = OrderStatus;
  switch (from) {
    case S::kCreating:
      return to == S::kPending || to == S::kAborted;
    case S::kPending:
      return to == S::kConfirmed || to == S::kPaymentFailed || to == S::kCancelled || to == S::kExpired;
    case S::kPaymentFailed:
      return to == S::kReserving || to == S::kCancelled;
    case S::kReserving:
      return to == S::kConfirmed || to == S::kPaymentFailed;
    case S::kConfirmed:
      return to == S::kShipped || to == S::kRefunded;
    case S::kShipped:
      return to == S::kRefunded;
    case S::kAborted:
    case S::kCancelled:
    case S::kExpired:
    case S::kRefunded:
      return false;
  }
  return false;
}

}  // namespace cloudretail::order
