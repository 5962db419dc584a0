// http/: the HTTP front door. This file: a Beast/Asio server that parses requests on a few I/O
// threads and runs handlers on a worker pool (handlers may block on database writes, so group
// commit can batch many of them). Handlers see only Request/Response, never Beast types.
// Depends on every folder above it; nothing depends on http/.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lf {

struct Request {
  std::string method;        // "GET"
  std::string target;        // raw target, "/api/v1/leads?limit=5"
  std::string path;          // decoded path, "/api/v1/leads"
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // lower-case names
  std::string body;
  std::string client;        // peer IP address
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A server-sent-events connection. Thread-safe: Send may be called from any thread.
class SseSink {
 public:
  virtual ~SseSink() = default;
  virtual void Send(std::string chunk) = 0;
  virtual bool closed() const = 0;
};

struct Response;
using Responder = std::function<void(Response)>;  // thread-safe, call exactly once

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the response is an event stream: headers are sent, then this is called with the sink;
  // the returned function runs when the client disconnects.
  std::function<std::function<void()>(std::shared_ptr<SseSink>)> stream;
  // When set, the answer comes later: the server calls this with a Responder (from any thread)
  // instead of sending this Response. Lets a handler wait for a durable write without holding a
  // worker thread.
  std::function<void(Responder)> deferred;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  int io_threads = 2;
  int worker_threads = 16;  // handlers that block on reads; writes do not hold a worker
  size_t body_limit = 1 << 20;  // bytes
  size_t upload_limit = 128 << 20;  // bytes, for paths starting with an upload prefix or ending with a suffix
  std::vector<std::string> upload_prefixes = {"/api/v1/imports", "/api/v1/documents"};
  std::vector<std::string> upload_suffixes = {"/attachments"};  // of the path, e.g. /api/v1/leads/{id}/attachments
};

// Thread-safe. Start() returns once listening; Stop() closes the listener and joins threads.
class HttpServer {
 public:
  using Handler = std::function<Response(Request&)>;
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving. Returns an error message on failure.
  std::string Start();
  unsigned short port() const;
  void Stop();
  // Blocks until Stop() is called from another thread (or a signal handler through Stop()).
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds a problem+json response for failures that happen before a handler runs.
Response PlainProblem(int status, const std::string& code, const std::string& detail);

}  // namespace lf
