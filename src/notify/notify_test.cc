// Unit tests of notify/: channel formats (DingTalk signature against a vector computed by
// DingTalk's documented Python recipe, webhook signature, email MIME) and the SSRF guard's
// address classes and allow-list.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "base/crypto.h"
#include "base/strings.h"
#include "notify/messages.h"
#include "notify/outbound.h"

namespace lf::notify {
namespace {

using json = nlohmann::json;

sockaddr_storage Addr(const char* text) {
  sockaddr_storage ss{};
  if (inet_pton(AF_INET, text, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr) == 1) {
    ss.ss_family = AF_INET;
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, text, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr), 1) << text;
    ss.ss_family = AF_INET6;
  }
  return ss;
}

bool Internal(const char* text) {
  auto ss = Addr(text);
  return IsInternalAddress(reinterpret_cast<sockaddr*>(&ss));
}

TEST(NotifyMessages, DingTalkSignatureMatchesTheDocumentedRecipe) {
  // python: quote_plus(b64encode(hmac(secret, f"{ts}\n{secret}", sha256).digest()))
  EXPECT_EQ(DingTalkSign("SEC0123456789abcdef", 1700000000000), "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
}

TEST(NotifyMessages, DingTalkRequestIsSignedMarkdownWithMentions) {
  Channel ch{"t", "c", "dingtalk", "群", true, false,
             {{"url", "https://oapi.dingtalk.com/robot/send?access_token=abc"}, {"secret", "SEC0123456789abcdef"}}};
  auto out = BuildOutgoing(ch, {{"title", "红色线索"}, {"text", "请跟进"}, {"at_mobiles", {"13800000001"}}}, "d1",
                           1700000000000);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->url, "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign="
                      "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
  json body = json::parse(out->body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["markdown"]["title"], "红色线索");
  EXPECT_EQ(body["markdown"]["text"], "请跟进 @13800000001");
  EXPECT_EQ(body["at"]["atMobiles"], json({"13800000001"}));
}

TEST(NotifyMessages, WebhookSignatureCoversTimestampAndBody) {
  Channel ch{"t", "c", "webhook", "ERP", true, false, {{"url", "https://erp.example.com/hook"}, {"secret", "whsec"}}};
  auto out = BuildOutgoing(ch, {{"body", {{"a", 1}}}}, "d1", 1700000000000);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->body, R"({"a":1})");
  EXPECT_NE(std::find(out->headers.begin(), out->headers.end(),
                      "X-LeadFlow-Signature: sha256=e396dba269569843ec61b16bf9a0e70c598b534678cf1863562e0699c7685c8d"),
            out->headers.end());
}

TEST(NotifyMessages, EmailIsUtf8WithEncodedSubjectAndNeedsARecipient) {
  Channel ch{"t", "c", "email", "邮箱", true, false, {{"smtp_url", "smtp://mail.example.com"}, {"from", "crm@a.cn"}}};
  auto out = BuildOutgoing(ch, {{"title", "请跟进"}, {"text", "您好"}, {"to", {"s1@a.cn"}}}, "d1", 1700000000000);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->smtp);
  EXPECT_EQ(out->rcpt, std::vector<std::string>{"s1@a.cn"});
  EXPECT_NE(out->body.find("Subject: =?UTF-8?B?" + Base64Encode("请跟进") + "?="), std::string::npos);
  EXPECT_NE(out->body.find(Base64Encode("您好")), std::string::npos);
  EXPECT_NE(out->body.find("Date: Tue, 14 Nov 2023 22:13:20 +0000"), std::string::npos);
  auto none = BuildOutgoing(ch, {{"title", "x"}, {"text", "y"}}, "d2", 0);
  EXPECT_EQ(none.status().code(), "notify.no_recipient");
  ch.config["to"] = "boss@a.cn, ops@a.cn";
  auto fallback = BuildOutgoing(ch, {{"title", "x"}, {"text", "y"}}, "d3", 0);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->rcpt, (std::vector<std::string>{"boss@a.cn", "ops@a.cn"}));
}

TEST(NotifyMessages, RobotAnswersAreReadByErrcode) {
  EXPECT_TRUE(ReadAnswer("dingtalk", 200, R"({"errcode":0,"errmsg":"ok"})").ok());
  EXPECT_FALSE(ReadAnswer("dingtalk", 200, R"({"errcode":310000,"errmsg":"sign not match"})").ok());
  EXPECT_FALSE(ReadAnswer("wecom", 200, "<html>").ok());
  EXPECT_FALSE(ReadAnswer("webhook", 500, "").ok());
  EXPECT_TRUE(ReadAnswer("webhook", 204, "").ok());
}

TEST(NotifyOutbound, InternalAddressesAreRecognised) {
  for (const char* a : {"127.0.0.1", "10.0.0.5", "172.16.3.4", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1",
                        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1"})
    EXPECT_TRUE(Internal(a)) << a;
  for (const char* a : {"8.8.8.8", "172.32.0.1", "203.119.128.1", "2400:3200::1", "::ffff:8.8.8.8"})
    EXPECT_FALSE(Internal(a)) << a;
}

TEST(NotifyOutbound, AllowListNamesAddressesNetworksAndHosts) {
  auto list = ParseAllowList(json{"127.0.0.1", "10.20.0.0/16", "::1", "Hooks.Intra.Example"});
  ASSERT_TRUE(list.ok());
  auto allowed = [&](const char* a) {
    auto ss = Addr(a);
    return AddressAllowed(*list, reinterpret_cast<sockaddr*>(&ss));
  };
  EXPECT_TRUE(allowed("127.0.0.1"));
  EXPECT_FALSE(allowed("127.0.0.2"));
  EXPECT_TRUE(allowed("10.20.99.1"));
  EXPECT_FALSE(allowed("10.21.0.1"));
  EXPECT_TRUE(allowed("::ffff:10.20.0.9"));  // the mapped form of an allowed network
  EXPECT_TRUE(allowed("::1"));
  EXPECT_TRUE(allowed("8.8.8.8"));  // public: always
  EXPECT_EQ(list->hosts, std::vector<std::string>{"hooks.intra.example"});
  for (json bad : {json{"10.0.0.0/33"}, json{"a b"}, json{"::1/129"}, json{5}, json("127.0.0.1")})
    EXPECT_FALSE(ParseAllowList(bad).ok()) << bad.dump();
}

TEST(NotifyOutbound, UrlsAreCheckedBySchemeAndAddress) {
  AllowList none;
  EXPECT_EQ(CheckUrl("file:///etc/passwd", {"http", "https"}, none, "url").code(), "outbound.bad_url");
  EXPECT_EQ(CheckUrl("http://127.0.0.1:8080/x", {"http", "https"}, none, "url").code(), "outbound.blocked_address");
  EXPECT_EQ(CheckUrl("http://[::1]/x", {"http", "https"}, none, "url").code(), "outbound.blocked_address");
  EXPECT_EQ(CheckUrl("http://0x7f000001/x", {"http", "https"}, none, "url").code(), "outbound.blocked_address");
  EXPECT_TRUE(CheckUrl("https://203.119.128.1/robot/send", {"http", "https"}, none, "url").ok());
  auto list = ParseAllowList(json{"127.0.0.1"});
  EXPECT_TRUE(CheckUrl("http://127.0.0.1:8080/x", {"http", "https"}, *list, "url").ok());
  Guard g{&*list};
  auto ss = Addr("127.0.0.2");
  EXPECT_FALSE(g.Permit(reinterpret_cast<sockaddr*>(&ss)));
  EXPECT_TRUE(g.blocked);
  EXPECT_EQ(g.blocked_address, "127.0.0.2");
}

}  // namespace
}  // namespace lf::notify
