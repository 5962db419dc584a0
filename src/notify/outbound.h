// The SSRF guard of every outbound connection (webhooks, robots, SMTP): which destinations a
// tenant's messages may reach. Internal addresses — loopback, RFC 1918 private, link-local,
// CGNAT, unique-local, multicast, unspecified, IPv4-mapped forms of these — are refused unless the
// tenant's allow-list names the address, a network containing it (CIDR) or the URL's host name.
// Checked when a channel is saved (CheckUrl) and again at connect time for every socket curl opens,
// redirects included (Guard, installed by the deliverer as CURLOPT_OPENSOCKETFUNCTION).
// Thread-safety: values; functions are thread-safe.
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace lf::notify {

struct AllowList {
  struct Net {
    int family = 0;               // AF_INET or AF_INET6
    unsigned char addr[16] = {};  // network address (4 or 16 bytes used)
    int prefix = 0;
  };
  std::vector<Net> nets;
  std::vector<std::string> hosts;    // lower-case host names
  std::vector<std::string> entries;  // as configured, for display
};

// `allow`: an array of "10.0.0.0/8", "127.0.0.1", "::1", "hooks.intra.example" (≤ 100 entries).
// kValidation "outbound.bad_allow_entry" naming the bad entry otherwise.
Result<AllowList> ParseAllowList(const nlohmann::json& allow);

// True for addresses a tenant may not reach by default (see the header comment).
bool IsInternalAddress(const sockaddr* sa);
// True when `sa` is public or inside one of `list.nets`.
bool AddressAllowed(const AllowList& list, const sockaddr* sa);

struct UrlParts {
  std::string scheme, host;  // lower-case
  int port = 0;
};
// Parses an absolute URL whose scheme is one of `schemes`; kValidation `code` otherwise.
Result<UrlParts> ParseUrl(const std::string& url, const std::vector<std::string>& schemes,
                          const std::string& field);

// Save-time check: the URL parses with an allowed scheme and, when its host resolves now, every
// address is allowed (an allow-listed host name may resolve anywhere). A host that does not
// resolve is accepted (checked again at connect time). kValidation "outbound.blocked_address".
Status CheckUrl(const std::string& url, const std::vector<std::string>& schemes, const AllowList& list,
                const std::string& field);

// Connect-time check, per transfer. `host_allowed` is set when the URL's host is allow-listed by
// name: then every address is permitted for that transfer.
struct Guard {
  const AllowList* list = nullptr;
  bool host_allowed = false;
  bool blocked = false;  // set when a connection was refused
  std::string blocked_address;
  bool Permit(const sockaddr* sa);
};

}  // namespace lf::notify
