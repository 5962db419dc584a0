// Implements http/server.h on Boost.Beast (callback style; Boost 1.74 has no as_tuple).
#include "http/server.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace lf {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

Response PlainProblem(int status, const std::string& code, const std::string& detail) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = nlohmann::json{{"type", "about:blank"},
                          {"title", std::string(http::obsolete_reason(http::status(status)))},
                          {"status", status},
                          {"code", code},
                          {"detail", detail}}
               .dump();
  return r;
}

namespace {

// SSE sink bound to one socket. Writes are serialised on the socket's strand.
class SocketSink final : public SseSink, public std::enable_shared_from_this<SocketSink> {
 public:
  explicit SocketSink(beast::tcp_stream& stream) : stream_(stream) {}
  void Send(std::string chunk) override {
    if (closed_) return;
    net::post(stream_.get_executor(), [self = shared_from_this(), c = std::move(chunk)]() mutable {
      self->queue_.push_back(std::move(c));
      if (self->queue_.size() > 1000) {  // a client that does not read: drop it
        self->Close();
        return;
      }
      if (self->queue_.size() == 1) self->WriteNext();
    });
  }
  bool closed() const override { return closed_; }
  void Close() {
    if (closed_.exchange(true)) return;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  }

 private:
  void WriteNext() {
    if (closed_ || queue_.empty()) return;
    net::async_write(stream_.socket(), net::buffer(queue_.front()),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->queue_.pop_front();
                       self->WriteNext();
                     });
  }
  beast::tcp_stream& stream_;
  std::deque<std::string> queue_;  // touched only on the socket's executor
  std::atomic<bool> closed_{false};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Handler& handler, net::thread_pool& workers,
          const ServerOptions& opts)
      : stream_(std::move(socket)), handler_(handler), workers_(workers), opts_(opts) {}

  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    // Beast checks a Content-Length against the limit while it parses the header, before we know
    // the path: read the header under the largest limit, then apply the path's own below.
    parser_->body_limit(std::max(opts_.body_limit, opts_.upload_limit));
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(120));
    // Headers first: uploads (opts_.upload_prefixes / upload_suffixes) get the larger upload limit.
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->OnRead(ec);
      std::string_view target = self->parser_->get().target();
      std::string_view path = target.substr(0, target.find('?'));
      size_t limit = self->opts_.body_limit;
      for (const auto& prefix : self->opts_.upload_prefixes)
        if (path.substr(0, prefix.size()) == prefix) limit = self->opts_.upload_limit;
      for (const auto& suffix : self->opts_.upload_suffixes)
        if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix)
          limit = self->opts_.upload_limit;
      auto length = self->parser_->content_length();
      if (length && *length > limit) return self->OnRead(http::error::body_limit);
      self->parser_->body_limit(limit);  // a chunked body is counted as it arrives
      if (self->parser_->is_done()) return self->OnRead(ec);
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code ec2, size_t) { self->OnRead(ec2); });
    });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec) {
      Response r = ec == http::error::body_limit
                       ? PlainProblem(413, "request.too_large",
                                      "request body exceeds the size limit")
                       : ec == http::error::header_limit
                             ? PlainProblem(431, "request.headers_too_large",
                                            "request headers are too large")
                             : PlainProblem(400, "request.malformed_http", ec.message());
      keep_alive_ = false;
      return Write(std::move(r));
    }
    auto& msg = parser_->get();
    auto req = std::make_shared<Request>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    for (const auto& h : msg) req->headers[AsciiLower(std::string(h.name_string()))] = std::string(h.value());
    req->body = std::move(msg.body());
    beast::error_code ignored;
    auto ep = stream_.socket().remote_endpoint(ignored);
    req->client = ignored ? "" : ep.address().to_string();
    keep_alive_ = msg.keep_alive();
    std::string_view target = req->target;
    auto qpos = target.find('?');
    bool ok = UrlDecode(target.substr(0, qpos), &req->path) && IsValidUtf8(req->path);
    if (ok && qpos != std::string_view::npos) {
      for (const auto& part : Split(target.substr(qpos + 1), '&')) {
        if (part.empty()) continue;
        auto eq = part.find('=');
        std::string k, v;
        if (!UrlDecode(std::string_view(part).substr(0, eq), &k) ||
            !UrlDecode(eq == std::string::npos ? std::string_view() : std::string_view(part).substr(eq + 1), &v) ||
            !IsValidUtf8(k) || !IsValidUtf8(v)) {
          ok = false;
          break;
        }
        req->query.emplace_back(std::move(k), std::move(v));
      }
    }
    if (!ok)
      return Write(PlainProblem(400, "request.bad_target",
                                "the URL is not valid percent-encoded UTF-8"));
    stream_.expires_never();
    net::post(workers_, [self = shared_from_this(), req] {
      Response r;
      try {
        r = self->handler_(*req);
      } catch (const std::exception& e) {
        r = PlainProblem(500, "internal", e.what());
      }
      Responder respond = [self](Response resp) {
        net::post(self->stream_.get_executor(),
                  [self, resp = std::move(resp)]() mutable { self->Write(std::move(resp)); });
      };
      if (r.deferred) {
        auto deferred = std::move(r.deferred);
        deferred(std::move(respond));
      } else {
        respond(std::move(r));
      }
    });
  }

  void Write(Response r) {
    if (r.stream) return StartStream(std::move(r));
    auto res = std::make_shared<http::response<http::string_body>>(http::status(r.status), 11);
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::server, "leadflow");
    for (auto& [k, v] : r.headers) res->insert(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (ec || !self->keep_alive_) return self->Close();
                        self->Read();
                      });
  }

  void StartStream(Response r) {
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                       "Cache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n";
    for (auto& [k, v] : r.headers) head += k + ": " + v + "\r\n";
    head += "\r\n: connected\n\n";
    auto sink = std::make_shared<SocketSink>(stream_);
    sink->Send(std::move(head));
    on_close_ = r.stream(sink);
    sink_ = sink;
    // Read until the client goes away; anything it sends is ignored.
    WaitForClose();
  }

  void WaitForClose() {
    stream_.socket().async_read_some(net::buffer(scratch_),
                                     [self = shared_from_this()](beast::error_code ec, size_t) {
                                       if (ec || (self->sink_ && self->sink_->closed()))
                                         return self->Close();
                                       self->WaitForClose();
                                     });
  }

  void Close() {
    if (on_close_) {
      auto f = std::move(on_close_);
      on_close_ = nullptr;
      f();
    }
    if (sink_) sink_->Close();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpServer::Handler& handler_;
  net::thread_pool& workers_;
  const ServerOptions& opts_;
  bool keep_alive_ = true;
  std::function<void()> on_close_;
  std::shared_ptr<SocketSink> sink_;
  char scratch_[512];
};

}  // namespace

struct HttpServer::Impl {
  ServerOptions opts;
  Handler handler;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
  tcp::acceptor acceptor{ioc};
  std::unique_ptr<net::thread_pool> workers;
  std::vector<std::thread> threads;
  std::mutex mu;  // guards stopped
  std::condition_variable cv;
  bool stopped = false;

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted) return;
      if (!ec) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(s), handler, *workers, opts)->Run();
      }
      Accept();
    });
  }
};

HttpServer::HttpServer(ServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(options);
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

std::string HttpServer::Start() {
  beast::error_code ec;
  auto addr = net::ip::make_address(impl_->opts.address, ec);
  if (ec) return "bad address " + impl_->opts.address + ": " + ec.message();
  tcp::endpoint ep(addr, impl_->opts.port);
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + impl_->opts.address + ":" + std::to_string(impl_->opts.port) +
                 ": " + ec.message();
  impl_->workers = std::make_unique<net::thread_pool>(impl_->opts.worker_threads);
  impl_->guard.emplace(impl_->ioc.get_executor());
  impl_->Accept();
  for (int i = 0; i < impl_->opts.io_threads; ++i)
    impl_->threads.emplace_back([this] {
      pthread_setname_np(pthread_self(), "lf-io");
      impl_->ioc.run();
    });
  return {};
}

unsigned short HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void HttpServer::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->cv.notify_all();
  net::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->guard.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  if (impl_->workers) impl_->workers->join();
}

void HttpServer::Wait() {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->stopped; });
}

}  // namespace lf
