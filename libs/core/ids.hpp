#pragma once
/// Shapes of the identifiers services share.
#include <string_view>

namespace cloudretail {

/// A productId: 1–64 characters of [A-Za-z0-9_-] (catalog and inventory agree on it).
inline bool is_valid_product_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

}  // namespace cloudretail
