#pragma once
/// Thin wrappers over OpenSSL for the few primitives the services share.
#include <cstdint>
#include <string>
#include <string_view>

namespace cloudretail::crypto {

/// Cryptographically random bytes (OpenSSL RAND_bytes); throws if the RNG fails.
std::string random_bytes(size_t n);
/// Random uuid4, lower-case, 36 chars.
std::string uuid4();
/// n random bytes as base64url without padding (opaque tokens).
std::string random_token(size_t n_bytes = 32);

std::string sha256(std::string_view data);                             // raw 32 bytes
std::string sha256_hex(std::string_view data);                         // lower-case hex
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

std::string to_hex(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);
/// Returns false on characters outside the base64url alphabet.
bool base64url_decode(std::string_view text, std::string& out);

/// Compares in time independent of where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace cloudretail::crypto
