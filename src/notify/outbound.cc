// Implements notify/outbound.h.
#include "notify/outbound.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "base/strings.h"

namespace lf::notify {
namespace {

Status Bad(const std::string& code, const std::string& en, const std::string& zh, const std::string& field) {
  return Status::Error(ErrorKind::kValidation, code, en, zh, field);
}

bool InPrefix(const unsigned char* a, const unsigned char* net, int prefix) {
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a, net, size_t(full)) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a[full] & mask) == (net[full] & mask);
}

bool InternalV4(const unsigned char* b) {
  uint32_t a = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
  auto in = [a](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  return in(0x00000000, 8) ||    // 0.0.0.0/8 "this network"
         in(0x0A000000, 8) ||    // 10/8
         in(0x64400000, 10) ||   // 100.64/10 CGNAT
         in(0x7F000000, 8) ||    // loopback
         in(0xA9FE0000, 16) ||   // link-local (cloud metadata lives here)
         in(0xAC100000, 12) ||   // 172.16/12
         in(0xC0000000, 24) ||   // 192.0.0/24 IETF protocol assignments
         in(0xC0A80000, 16) ||   // 192.168/16
         in(0xC6120000, 15) ||   // 198.18/15 benchmarking
         in(0xE0000000, 4) ||    // multicast
         in(0xF0000000, 4);      // reserved + broadcast
}

// The 16 bytes of an IPv6 address viewed as IPv4 when it embeds one (mapped or compatible).
bool EmbeddedV4(const unsigned char* b, unsigned char* out) {
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  static const unsigned char zero[12] = {};
  if (std::memcmp(b, mapped, 12) == 0 || (std::memcmp(b, zero, 12) == 0 && (b[12] | b[13]) != 0)) {
    std::memcpy(out, b + 12, 4);
    return true;
  }
  return false;
}

bool InternalV6(const unsigned char* b) {
  unsigned char v4[4];
  if (EmbeddedV4(b, v4)) return InternalV4(v4);
  static const unsigned char zero[16] = {};
  if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
  if ((b[0] & 0xFE) == 0xFC) return true;                                        // fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;                        // fe80::/10
  if (b[0] == 0xFF) return true;                                                 // multicast
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) return true;  // 64:ff9b::/96 NAT64
  return false;
}

std::string AddressText(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  return buf;
}

bool ValidHostName(const std::string& h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) return false;
  return h.front() != '.' && h.front() != '-';
}

}  // namespace

Result<AllowList> ParseAllowList(const nlohmann::json& allow) {
  if (!allow.is_array() || allow.size() > 100)
    return Bad("validation.wrong_type", "allow must be a list of at most 100 addresses, networks or host names",
               "allow 必须是不超过 100 项的地址/网段/主机名列表", "allow");
  AllowList out;
  for (size_t i = 0; i < allow.size(); ++i) {
    std::string field = "allow[" + std::to_string(i) + "]";
    if (!allow[i].is_string())
      return Bad("validation.wrong_type", field + " must be a string", field + " 必须是字符串", field);
    std::string entry = AsciiLower(Trim(allow[i].get<std::string>()));
    auto bad = [&] {
      return Bad("outbound.bad_allow_entry", "'" + entry + "' is not an address, a network (CIDR) or a host name",
                 "'" + entry + "' 不是合法的地址、网段(CIDR)或主机名", field);
    };
    std::string addr = entry;
    int prefix = -1;
    if (auto slash = entry.find('/'); slash != std::string::npos) {
      addr = entry.substr(0, slash);
      std::string p = entry.substr(slash + 1);
      if (p.empty() || p.size() > 3 || !std::all_of(p.begin(), p.end(), ::isdigit)) return bad();
      prefix = std::stoi(p);
    }
    AllowList::Net net;
    if (inet_pton(AF_INET, addr.c_str(), net.addr) == 1) {
      net.family = AF_INET;
      if (prefix < 0) prefix = 32;
      if (prefix > 32) return bad();
    } else if (inet_pton(AF_INET6, addr.c_str(), net.addr) == 1) {
      net.family = AF_INET6;
      if (prefix < 0) prefix = 128;
      if (prefix > 128) return bad();
    } else {
      if (prefix >= 0 || !ValidHostName(entry)) return bad();
      out.hosts.push_back(entry);
      out.entries.push_back(entry);
      continue;
    }
    net.prefix = prefix;
    out.nets.push_back(net);
    out.entries.push_back(entry);
  }
  return out;
}

bool IsInternalAddress(const sockaddr* sa) {
  if (sa->sa_family == AF_INET)
    return InternalV4(reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr));
  if (sa->sa_family == AF_INET6)
    return InternalV6(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr.s6_addr);
  return true;  // anything else (unix sockets…) is never a valid destination
}

bool AddressAllowed(const AllowList& list, const sockaddr* sa) {
  if (!IsInternalAddress(sa)) return true;
  unsigned char v4[4];
  const unsigned char* bytes = nullptr;
  int family = sa->sa_family;
  if (family == AF_INET) {
    bytes = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr);
  } else if (family == AF_INET6) {
    bytes = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr.s6_addr;
    if (EmbeddedV4(bytes, v4)) {
      bytes = v4;
      family = AF_INET;
    }
  } else {
    return false;
  }
  for (const auto& n : list.nets)
    if (n.family == family && InPrefix(bytes, n.addr, n.prefix)) return true;
  return false;
}

Result<UrlParts> ParseUrl(const std::string& url, const std::vector<std::string>& schemes, const std::string& field) {
  std::string allowed;
  for (const auto& s : schemes) allowed += (allowed.empty() ? "" : ", ") + s;
  auto bad = Bad("outbound.bad_url", "not a valid " + allowed + " URL", "不是合法的 " + allowed + " 地址", field);
  if (url.empty() || url.size() > 2000) return bad;
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return bad;
  UrlParts out;
  char* part = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &part, 0) != CURLUE_OK) return bad;
  out.scheme = AsciiLower(part);
  curl_free(part);
  if (std::find(schemes.begin(), schemes.end(), out.scheme) == schemes.end()) return bad;
  if (curl_url_get(u.get(), CURLUPART_HOST, &part, 0) != CURLUE_OK) return bad;
  out.host = AsciiLower(part);
  curl_free(part);
  if (out.host.size() > 2 && out.host.front() == '[') out.host = out.host.substr(1, out.host.size() - 2);
  if (curl_url_get(u.get(), CURLUPART_PORT, &part, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    out.port = std::atoi(part);
    curl_free(part);
  }
  if (out.host.empty()) return bad;
  return out;
}

Status CheckUrl(const std::string& url, const std::vector<std::string>& schemes, const AllowList& list,
                const std::string& field) {
  LF_ASSIGN(UrlParts parts, ParseUrl(url, schemes, field));
  if (std::find(list.hosts.begin(), list.hosts.end(), parts.host) != list.hosts.end()) return Status::Ok();
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(parts.host.c_str(), nullptr, &hints, &res) != 0 || !res) return Status::Ok();
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(res, freeaddrinfo);
  for (auto* ai = res; ai; ai = ai->ai_next)
    if (!AddressAllowed(list, ai->ai_addr))
      return Bad("outbound.blocked_address",
                 parts.host + " resolves to the internal address " + AddressText(ai->ai_addr) +
                     "; an admin must add it to the outbound allow-list (PUT /api/v1/settings/outbound)",
                 parts.host + " 解析到内网地址 " + AddressText(ai->ai_addr) + ",需管理员加入出站白名单", field);
  return Status::Ok();
}

bool Guard::Permit(const sockaddr* sa) {
  if (host_allowed || (list && AddressAllowed(*list, sa)) || (!list && !IsInternalAddress(sa))) return true;
  blocked = true;
  blocked_address = AddressText(sa);
  return false;
}

}  // namespace lf::notify
