// Cryptographic helpers over libsodium: hashes, random tokens, UUIDv7, Argon2id passwords.
// Thread-safety: all functions are thread-safe after InitCrypto().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace lf {

// Must be called once at start-up before any other function here. Returns false on failure.
bool InitCrypto();

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256(key, data) as raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

// `n` random bytes as URL-safe base64 (for session tokens, secrets).
std::string RandomToken(size_t n = 32);

// A time-ordered UUIDv7 string (RFC 9562) for the instant `epoch_ms`.
std::string UuidV7(int64_t epoch_ms);
bool IsUuid(std::string_view s);

// Argon2id (libsodium "interactive" limits). Verify is constant-time.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);

// Constant-time comparison of equal-or-unequal-length strings.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace lf
