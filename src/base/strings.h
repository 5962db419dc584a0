// Small string utilities that no library in our stack offers in the form we need.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lf {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

std::string AsciiLower(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);

// URL-safe base64 without padding, and its inverse (returns false on bad input).
std::string Base64UrlEncode(std::string_view bytes);
bool Base64UrlDecode(std::string_view text, std::string* out);
// Standard base64 with padding (RFC 4648 §4), and its inverse.
std::string Base64Encode(std::string_view bytes);
bool Base64Decode(std::string_view text, std::string* out);
// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
std::string UrlEncode(std::string_view in);
// `s` without leading and trailing ASCII white space.
std::string Trim(std::string_view s);

// Decodes %XX and '+' in a URL query component. Returns false on a bad escape.
bool UrlDecode(std::string_view in, std::string* out);

// Counts Unicode code points of valid UTF-8.
size_t Utf8Length(std::string_view s);
// The first `max_points` code points of valid UTF-8, with "…" appended when anything was cut.
std::string Utf8Prefix(std::string_view s, size_t max_points);

}  // namespace lf
