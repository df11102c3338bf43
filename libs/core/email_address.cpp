#include "core/email_address.hpp"

namespace cloudretail {

bool is_deliverable_email(std::string_view e) {
  if (e.size() < 3 || e.size() > 254) return false;
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 == e.size()) return false;
  if (e.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c >= 0x7f || std::string_view("<>()[]\\,;:\"").find(char(c)) != std::string_view::npos)
      return false;
  std::string_view domain = e.substr(at + 1);
  return domain.front() != '.' && domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

}  // namespace cloudretail
