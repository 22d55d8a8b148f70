#include "raft/common/assert.hh"

namespace raft {

namespace {
std::string format_message(const std::string& condition, const std::string& detail,
                           const std::string& location) {
  std::string msg = "assertion failed: " + condition;
  if (!detail.empty()) msg += " (" + detail + ")";
  return msg + " at " + location;
}

std::string trim_path(const char* file) {
  std::string path(file);
  // Keep the path relative to the repository (from the last "raft/" or "sim/").
  for (const char* root : {"/raft/", "/sim/", "/tools/", "/tests/"}) {
    if (auto pos = path.rfind(root); pos != std::string::npos) return path.substr(pos + 1);
  }
  return path;
}
}  // namespace

AssertionFailure::AssertionFailure(std::string condition, std::string detail, const char* file,
                                   int line)
    : std::logic_error(format_message(condition, detail, trim_path(file) + ":" + std::to_string(line))),
      condition_(std::move(condition)),
      detail_(std::move(detail)),
      location_(trim_path(file) + ":" + std::to_string(line)) {}

void assertion_failed(const char* condition, const std::string& detail, const char* file,
                      int line) {
  throw AssertionFailure(condition, detail, file, line);
}

}  // namespace raft
