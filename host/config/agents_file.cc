#include "config/agents_file.h"

#include <toml++/toml.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <system_error>

namespace sb {

namespace fs = std::filesystem;

AgentsFileLocation LocateAgentsFile(const fs::path& config_dir) {
  AgentsFileLocation loc;
  loc.path = config_dir / "agents.toml";
  loc.target = loc.path;
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(loc.path, ec))) {
    fs::path resolved = fs::weakly_canonical(loc.path, ec);
    if (!ec) loc.target = resolved;
  }
  loc.lock_path = loc.target;
  loc.lock_path += ".lock";
  return loc;
}

Status CheckTomlSyntax(const std::string& text, const std::string& name) {
  try {
    (void)toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::string description(e.description());
    std::string hint;
    if (description.find("UTF-8") != std::string::npos ||
        description.find("utf-8") != std::string::npos ||
        description.find("encoding") != std::string::npos) {
      hint = "re-save the file as UTF-8";
    }
    return MakeFailure(
        "config_unreadable",
        fmt::format("{}:{}:{}: {}{}", name, e.source().begin.line, e.source().begin.column,
                    description, hint.empty() ? "" : " (" + hint + ")"),
        hint);
  }
  return {};
}

Result<std::string> ReadAgentsFile(const AgentsFileLocation& location) {
  std::error_code ec;
  if (!fs::exists(location.path, ec)) return std::string();
  std::ifstream in(location.path, std::ios::binary);
  if (!in) {
    return MakeFailure("config_unreadable",
                       fmt::format("{}: cannot be read", location.path.string()),
                       "check the file's permissions");
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  if (auto st = CheckTomlSyntax(content, location.path.string()); !st) return st.failure();
  return content;
}

}  // namespace sb
