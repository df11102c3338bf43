#pragma once
/// The one rule for an address the shop can mail, shared by the mailer (which
/// refuses anything else) and by registration (so nobody can take an address that
/// could never receive its code).
#include <string_view>

namespace cloudretail {

/// Printable ASCII without whitespace or characters with meaning in an address
/// header (so nothing can be injected into To: or RCPT TO), one '@', a local part
/// of 1..64 bytes and a domain with a dot and no empty labels. Non-ASCII addresses
/// would need SMTPUTF8, which the transports do not speak.
bool is_deliverable_email(std::string_view address);

}  // namespace cloudretail
