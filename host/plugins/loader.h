// loader.h — loading one plugin library through ABI 1, step by step (ARCHITECTURE §5, §11).
//
// Purpose: each step of CLI.md §6.4 is one function, so `switchboard plugins check` reports them
// one by one and the host's own loading (LoadPlugin) runs exactly the same checks:
//   1. CheckPluginFile   — the file exists and is an ELF shared library for this platform;
//   2. CheckEntrySymbol  — it exports `sb_plugin_entry_v1`, read from the ELF symbol table
//                          before the library is loaded, so none of its code runs otherwise;
//   3. OpenLibrary       — dlopen (RTLD_NOW | RTLD_LOCAL) and read the entry;
//   4. Negotiate         — major equal, minor not newer than the host's;
//   5. CheckMetadata     — entry size, name / version / license, one component;
//   6. InitPlugin        — the optional `init` slot, with the host services table;
//   7. CheckComponent, CreateComponent — kind, table size, every required slot, then `create`.
// Every refusal is a Failure (code "plugin_refused") whose message is one line naming the file,
// the reason and the fix.
//
// Ownership and lifetime: libraries are never unloaded. OpenLibrary keeps each library mapped for
// the life of the process; `entry` pointers stay valid forever. A ComponentInstance owns the
// component object and destroys it through the table's `destroy` slot.
//
// Threads: call from one thread at a time (start-up, or the `plugins check` child).
#pragma once

#include <switchboard/abi.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "errors/result.h"

namespace sb {

// What an entry says about its plugin.
struct PluginInfo {
  std::string name;
  std::string version;
  std::string license;
  std::string description;
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  sb_kind kind = 0;
  std::string component_id;
};

// "runner", "router", "store", "transport" or "unknown(<n>)".
std::string KindName(sb_kind kind);

// A library whose entry has been read. The library stays loaded for the life of the process.
struct OpenedLibrary {
  std::filesystem::path path;
  const sb_plugin_entry* entry = nullptr;
};

// A created component. Move-only; the destructor calls the table's `destroy`.
class ComponentInstance {
 public:
  ComponentInstance() = default;
  ComponentInstance(sb_kind kind, const void* table, void* self)
      : kind_(kind), table_(table), self_(self) {}
  ComponentInstance(ComponentInstance&& other) noexcept { *this = std::move(other); }
  ComponentInstance& operator=(ComponentInstance&& other) noexcept;
  ComponentInstance(const ComponentInstance&) = delete;
  ComponentInstance& operator=(const ComponentInstance&) = delete;
  ~ComponentInstance() { Reset(); }

  void Reset();
  sb_kind kind() const { return kind_; }
  const void* table() const { return table_; }
  void* self() const { return self_; }
  explicit operator bool() const { return self_ != nullptr || table_ != nullptr; }

 private:
  sb_kind kind_ = 0;
  const void* table_ = nullptr;
  void* self_ = nullptr;
};

Status CheckPluginFile(const std::filesystem::path& path);
Status CheckEntrySymbol(const std::filesystem::path& path);
Result<OpenedLibrary> OpenLibrary(const std::filesystem::path& path);
Status Negotiate(const OpenedLibrary& lib);
Result<PluginInfo> CheckMetadata(const OpenedLibrary& lib);
Status InitPlugin(const OpenedLibrary& lib, const sb_host_api* host);
// Validates component `index` (kind, sizes, required slots); returns its table.
Result<const void*> CheckComponent(const OpenedLibrary& lib, uint32_t index);
Result<ComponentInstance> CreateComponent(const OpenedLibrary& lib, uint32_t index,
                                          const std::string& config_json,
                                          const std::string& state_dir, const sb_host_api* host,
                                          bool durable = true);
// Calls the optional `deinit` slot.
void DeinitPlugin(const OpenedLibrary& lib);

// Finds the file of plugin `name`: an explicit path wins; else `<dir>/<name>.so` in each
// SWITCHBOARD_PLUGIN_PATH directory, then in the plugins directory beside the executable.
Result<std::filesystem::path> ResolvePluginFile(
    const std::string& name, const std::optional<std::filesystem::path>& explicit_path);

// Steps 1–6 in order: everything up to a library ready for CreateComponent.
struct LoadedLibrary {
  OpenedLibrary lib;
  PluginInfo info;
};
Result<LoadedLibrary> LoadLibraryChecked(const std::filesystem::path& path,
                                         const sb_host_api* host);

}  // namespace sb
