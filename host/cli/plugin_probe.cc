#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include <switchboard/runner.h>

#include "cli/plugin_commands.h"
#include "config/paths.h"
#include "logging/log.h"
#include "plugins/host_services.h"
#include "plugins/loader.h"
#include "plugins/string_sink.h"

namespace sb::cli {
namespace {

// One protocol line to the parent, flushed at once so it survives a crash that follows.
void Emit(const nlohmann::json& line) {
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void Begin(const std::string& step) { Emit({{"begin", step}}); }

bool Step(const std::string& step, const Status& status, const std::string& ok_message) {
  Emit({{"step", step},
        {"status", status ? "ok" : "fail"},
        {"message", status ? ok_message : status.failure().message}});
  return status.ok();
}

// The runner's probe report, as information (never a failed step).
std::string ProbeRunner(const ComponentInstance& instance) {
  const auto* table = static_cast<const sb_runner_v1*>(instance.table());
  if (!SB_HAS_SLOT(table, sb_runner_v1, probe) || table->probe == nullptr) return "";
  std::string out;
  sb_sink sink = StringSink(&out);
  sb_error err;
  sb_error_init(&err);
  sb_status status = table->probe(instance.self(), &sink, &err);
  if (status != SB_OK)
    return std::string("probe reported ") + sb_status_name(status) + ": " + err.message;
  return out;
}

}  // namespace

int RunPluginProbe(const GlobalOptions& globals, const PluginProbeOptions& options) {
  SetupLogging("off");
  const std::filesystem::path path = options.path;
  Begin("file");
  if (!Step("file", CheckPluginFile(path), "an ELF shared library for this platform")) return 0;
  Begin("entry_symbol");
  if (!Step("entry_symbol", CheckEntrySymbol(path), SB_PLUGIN_ENTRY_SYMBOL " is exported"))
    return 0;
  Begin("load");
  auto lib = OpenLibrary(path);
  if (!Step("load", lib ? Status() : Status(lib.failure()), "loaded")) return 0;
  Begin("abi");
  const sb_plugin_entry* e = lib->entry;
  std::string abi_text = e->struct_size >= 12
                             ? std::to_string(e->abi_major) + "." + std::to_string(e->abi_minor)
                             : "?";
  if (!Step("abi", Negotiate(*lib),
            "plugin ABI " + abi_text + ", host ABI " + std::to_string(SB_ABI_MAJOR) + "." +
                std::to_string(SB_ABI_MINOR)))
    return 0;
  Begin("metadata");
  auto info = CheckMetadata(*lib);
  if (!Step("metadata", info ? Status() : Status(info.failure()),
            info ? info->name + " " + info->version + " (" + info->license + ")" : ""))
    return 0;
  Emit({{"plugin",
         {{"name", info->name},
          {"version", info->version},
          {"license", info->license},
          {"abi", abi_text}}}});
  Begin("init");
  if (!Step("init", InitPlugin(*lib, HostServices()), "init succeeded")) return 0;

  bool components_ok = true;
  for (uint32_t i = 0; i < e->component_count; ++i) {
    const sb_component& c = e->components[i];
    nlohmann::json component = {{"kind", KindName(c.kind)}, {"id", c.id != nullptr ? c.id : ""}};
    Emit({{"begin_component", component}});
    const std::string state_dir = ResolveStateDir(globals.state_dir, std::nullopt).string();
    auto instance = CreateComponent(*lib, i, options.config_json, state_dir, HostServices());
    if (!instance) {
      component["status"] = "fail";
      component["message"] = instance.failure().message;
      components_ok = false;
    } else {
      component["status"] = "ok";
      component["message"] = "created and destroyed";
      if (c.kind == SB_KIND_RUNNER) {
        std::string report = ProbeRunner(*instance);
        if (!report.empty()) component["probe"] = report;
      }
      instance->Reset();
    }
    Emit({{"component", component}});
  }
  Begin("deinit");
  DeinitPlugin(*lib);
  Step("deinit", Status(), "deinit done");
  (void)components_ok;  // the parent judges from the lines; 0 means the child ran to the end
  return 0;
}

}  // namespace sb::cli
