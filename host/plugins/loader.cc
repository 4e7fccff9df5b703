#include "plugins/loader.h"

#include <switchboard/router.h>
#include <switchboard/runner.h>
#include <switchboard/store.h>

#include <fmt/format.h>
#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <system_error>

#include "config/paths.h"
#include "config/plugins_config.h"

namespace sb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRebuild = "rebuild it against the Switchboard SDK (plugin ABI {}.{})";

Failure Refuse(const fs::path& path, const std::string& reason, const std::string& fix) {
  return MakeFailure("plugin_refused", fmt::format("{}: {}; {}", path.string(), reason, fix), fix);
}

std::string RebuildHint() {
  return fmt::format(fmt::runtime(kRebuild), SB_ABI_MAJOR, SB_ABI_MINOR);
}

// One slot of a table: its name, where it ends and whether ABI 1 requires it.
struct Slot {
  const char* name;
  size_t end;  // offset of the slot + its size
  bool required;
};

#define SB_SLOT(type, member, required) \
  Slot { #member, offsetof(type, member) + sizeof(static_cast <type*>(nullptr)->member), required }

const std::vector<Slot>& RunnerSlots() {
  static const std::vector<Slot> slots = {
      SB_SLOT(sb_runner_v1, create, true),      SB_SLOT(sb_runner_v1, destroy, true),
      SB_SLOT(sb_runner_v1, run, true),         SB_SLOT(sb_runner_v1, cancel, true),
      SB_SLOT(sb_runner_v1, check_agent, true), SB_SLOT(sb_runner_v1, probe, false),
  };
  return slots;
}

const std::vector<Slot>& RouterSlots() {
  static const std::vector<Slot> slots = {
      SB_SLOT(sb_router_v1, create, true),    SB_SLOT(sb_router_v1, destroy, true),
      SB_SLOT(sb_router_v1, normalize, true), SB_SLOT(sb_router_v1, normalize_identity, true),
      SB_SLOT(sb_router_v1, policy, true),
  };
  return slots;
}

const std::vector<Slot>& StoreSlots() {
#define SB_STORE_SLOT(member) SB_SLOT(sb_store_v1, member, true),
  static const std::vector<Slot> slots = {SB_SLOT(sb_store_v1, create, true),
                                          SB_SLOT(sb_store_v1, destroy, true),
                                          SB_STORE_V1_OPERATIONS(SB_STORE_SLOT)};
#undef SB_STORE_SLOT
  return slots;
}

#undef SB_SLOT

// Reads the pointer stored at `offset` in `table`.
const void* SlotValue(const void* table, size_t end) {
  const void* value = nullptr;
  std::memcpy(&value, static_cast<const char*>(table) + end - sizeof(void*), sizeof(void*));
  return value;
}

// Libraries stay loaded for the life of the process (never unloaded, ABI rule).
std::vector<boost::dll::shared_library*>& KeptLibraries() {
  static auto* libs = new std::vector<boost::dll::shared_library*>();
  return *libs;
}

// The creation and destruction slots of every kind sit at the same place after struct_size.
struct LifecycleSlots {
  uint32_t struct_size;
  sb_status (*create)(const sb_create_args*, void**, sb_error*);
  void (*destroy)(void*);
};
static_assert(offsetof(sb_runner_v1, create) == offsetof(LifecycleSlots, create));
static_assert(offsetof(sb_router_v1, create) == offsetof(LifecycleSlots, create));
static_assert(offsetof(sb_store_v1, create) == offsetof(LifecycleSlots, create));
static_assert(offsetof(sb_runner_v1, destroy) == offsetof(LifecycleSlots, destroy));
static_assert(offsetof(sb_router_v1, destroy) == offsetof(LifecycleSlots, destroy));
static_assert(offsetof(sb_store_v1, destroy) == offsetof(LifecycleSlots, destroy));

std::string ErrorText(const sb_error& err) {
  std::string message(err.message);
  if (message.empty()) message = "no message given";
  return message;
}

}  // namespace

std::string KindName(sb_kind kind) {
  switch (kind) {
    case SB_KIND_RUNNER:
      return "runner";
    case SB_KIND_ROUTER:
      return "router";
    case SB_KIND_STORE:
      return "store";
    case SB_KIND_TRANSPORT:
      return "transport";
    default:
      return fmt::format("unknown({})", kind);
  }
}

ComponentInstance& ComponentInstance::operator=(ComponentInstance&& other) noexcept {
  if (this != &other) {
    Reset();
    kind_ = other.kind_;
    table_ = other.table_;
    self_ = other.self_;
    other.table_ = nullptr;
    other.self_ = nullptr;
  }
  return *this;
}

void ComponentInstance::Reset() {
  if (table_ != nullptr && self_ != nullptr) {
    const auto* slots = static_cast<const LifecycleSlots*>(table_);
    slots->destroy(self_);
  }
  table_ = nullptr;
  self_ = nullptr;
}

Status CheckPluginFile(const fs::path& path) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return Refuse(path, "no such file", "check the path, or build the plugin first");
  }
  if (!fs::is_regular_file(status)) {
    return Refuse(path, "not a regular file", "name the plugin's .so file");
  }
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 20> header{};
  if (!in.read(reinterpret_cast<char*>(header.data()), header.size())) {
    return Refuse(path, "not a shared library (too short to be an ELF file)",
                  "name the plugin's .so file");
  }
  if (header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
    return Refuse(path, "not a shared library (no ELF header)", "name the plugin's .so file");
  }
  const bool is64 = header[4] == 2;
  const bool little = header[5] == 1;
  if (is64 != (sizeof(void*) == 8) || !little) {
    return Refuse(path, "an ELF file for another platform (word size or byte order differs)",
                  "build the plugin for this machine");
  }
  const uint16_t type = static_cast<uint16_t>(header[16] | (header[17] << 8));
  const uint16_t machine = static_cast<uint16_t>(header[18] | (header[19] << 8));
  if (type != 3 /* ET_DYN */) {
    return Refuse(path, "an ELF file but not a shared library",
                  "build the plugin as a shared (MODULE) library");
  }
#if defined(__x86_64__)
  constexpr uint16_t kMachine = 62;  // EM_X86_64
#elif defined(__aarch64__)
  constexpr uint16_t kMachine = 183;  // EM_AARCH64
#else
  constexpr uint16_t kMachine = 0;
#endif
  if (kMachine != 0 && machine != kMachine) {
    return Refuse(path, fmt::format("built for another CPU architecture (ELF machine {})", machine),
                  "build the plugin for this machine");
  }
  return {};
}

Status CheckEntrySymbol(const fs::path& path) {
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(path);
    symbols = info.symbols();
  } catch (const std::exception& e) {
    return Refuse(path, fmt::format("its symbol table cannot be read ({})", e.what()),
                  "name a shared library built as a Switchboard plugin");
  }
  if (std::find(symbols.begin(), symbols.end(), SB_PLUGIN_ENTRY_SYMBOL) == symbols.end()) {
    return Refuse(
        path,
        "not a Switchboard plugin: it does not export the entry symbol " SB_PLUGIN_ENTRY_SYMBOL,
        "define it with SB_DEFINE_PLUGIN_ENTRY or an SB_*_PLUGIN macro and export it");
  }
  return {};
}

Result<OpenedLibrary> OpenLibrary(const fs::path& path) {
  auto* lib = new boost::dll::shared_library();
  try {
    lib->load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    delete lib;
    return Refuse(path, fmt::format("the library does not load: {}", e.what()),
                  "check its dependencies with ldd");
  }
  const sb_plugin_entry* entry = nullptr;
  try {
    entry = &lib->get<const sb_plugin_entry>(SB_PLUGIN_ENTRY_SYMBOL);
  } catch (const std::exception& e) {
    // The library stays mapped: its code may have run already.
    KeptLibraries().push_back(lib);
    return Refuse(path, fmt::format("the entry symbol cannot be resolved: {}", e.what()),
                  "export " SB_PLUGIN_ENTRY_SYMBOL " with default visibility");
  }
  KeptLibraries().push_back(lib);
  return OpenedLibrary{path, entry};
}

Status Negotiate(const OpenedLibrary& lib) {
  const sb_plugin_entry* e = lib.entry;
  if (e == nullptr || e->struct_size < offsetof(sb_plugin_entry, name)) {
    return Refuse(
        lib.path,
        fmt::format("its entry is too small to hold a version ({} bytes)", e ? e->struct_size : 0),
        RebuildHint());
  }
  if (e->abi_major != SB_ABI_MAJOR) {
    return Refuse(
        lib.path,
        fmt::format("built for plugin ABI {}.{}, but this host implements ABI {}.{} (major "
                    "versions must be equal)",
                    e->abi_major, e->abi_minor, SB_ABI_MAJOR, SB_ABI_MINOR),
        e->abi_major > SB_ABI_MAJOR ? "use a switchboard release with plugin ABI major " +
                                          std::to_string(e->abi_major) + ", or " + RebuildHint()
                                    : RebuildHint());
  }
  if (e->abi_minor > SB_ABI_MINOR) {
    return Refuse(lib.path,
                  fmt::format("built for plugin ABI {}.{}, newer than this host's ABI {}.{}",
                              e->abi_major, e->abi_minor, SB_ABI_MAJOR, SB_ABI_MINOR),
                  fmt::format("upgrade switchboard to one with plugin ABI {}.{} or later, or {}",
                              e->abi_major, e->abi_minor, RebuildHint()));
  }
  return {};
}

Result<PluginInfo> CheckMetadata(const OpenedLibrary& lib) {
  const sb_plugin_entry* e = lib.entry;
  if (e->struct_size < sizeof(sb_plugin_entry)) {
    return Refuse(lib.path,
                  fmt::format("its entry is {} bytes, smaller than the {} bytes of ABI {}.0",
                              e->struct_size, sizeof(sb_plugin_entry), SB_ABI_MAJOR),
                  RebuildHint());
  }
  auto text = [](const char* s) { return s != nullptr ? std::string(s) : std::string(); };
  PluginInfo info;
  info.name = text(e->name);
  info.version = text(e->version);
  info.license = text(e->license);
  info.description = text(e->description);
  info.abi_major = e->abi_major;
  info.abi_minor = e->abi_minor;
  for (auto [field, value] : {std::pair<const char*, const std::string*>{"name", &info.name},
                              {"version", &info.version},
                              {"license", &info.license}}) {
    if (value->empty()) {
      return Refuse(lib.path, fmt::format("its entry has an empty {}", field),
                    fmt::format("set the entry's {} field", field));
    }
  }
  if (!IsValidPluginName(info.name)) {
    return Refuse(
        lib.path, fmt::format("its name '{}' is not a plugin name", info.name),
        "use lowercase letters, digits and '-' (at most 64), starting with a letter or digit");
  }
  if (e->component_count != 1 || e->components == nullptr) {
    return Refuse(
        lib.path,
        fmt::format("it declares {} components; ABI {}.{} requires exactly one per library",
                    e->components == nullptr ? 0 : e->component_count, SB_ABI_MAJOR, SB_ABI_MINOR),
        "split it into one library per component");
  }
  const sb_component& c = e->components[0];
  if (c.struct_size < sizeof(sb_component)) {
    return Refuse(lib.path,
                  fmt::format("its component descriptor is {} bytes, smaller than {}",
                              c.struct_size, sizeof(sb_component)),
                  RebuildHint());
  }
  info.kind = c.kind;
  info.component_id = text(c.id);
  if (info.component_id != info.name) {
    return Refuse(lib.path,
                  fmt::format("its component id '{}' differs from the plugin name '{}'",
                              info.component_id, info.name),
                  "give the component the plugin's name (one component per library in ABI 1)");
  }
  return info;
}

Status InitPlugin(const OpenedLibrary& lib, const sb_host_api* host) {
  if (lib.entry->init == nullptr) return {};
  sb_error err;
  sb_error_init(&err);
  sb_status status = lib.entry->init(host, &err);
  if (status != SB_OK) {
    return Refuse(lib.path,
                  fmt::format("its init failed ({}): {}", sb_status_name(status), ErrorText(err)),
                  "fix what the plugin reports, then retry");
  }
  return {};
}

Result<const void*> CheckComponent(const OpenedLibrary& lib, uint32_t index) {
  const sb_component& c = lib.entry->components[index];
  const std::vector<Slot>* slots = nullptr;
  switch (c.kind) {
    case SB_KIND_RUNNER:
      slots = &RunnerSlots();
      break;
    case SB_KIND_ROUTER:
      slots = &RouterSlots();
      break;
    case SB_KIND_STORE:
      slots = &StoreSlots();
      break;
    case SB_KIND_TRANSPORT:
      return Refuse(
          lib.path,
          fmt::format("it provides a transport component, a kind this host's plugin ABI {}.{} "
                      "reserves but does not support yet",
                      SB_ABI_MAJOR, SB_ABI_MINOR),
          "use a switchboard release whose plugin ABI supports transports");
    default:
      return Refuse(lib.path, fmt::format("its component has the unknown kind {}", c.kind),
                    "use SB_KIND_RUNNER, SB_KIND_ROUTER or SB_KIND_STORE");
  }
  if (c.table == nullptr) {
    return Refuse(lib.path, fmt::format("its {} component has no table", KindName(c.kind)),
                  RebuildHint());
  }
  const uint32_t size = *static_cast<const uint32_t*>(c.table);
  for (const Slot& slot : *slots) {
    if (!slot.required) continue;
    if (slot.end > size) {
      return Refuse(
          lib.path,
          fmt::format("its {} table ({} bytes) is too small to hold the required slot '{}'",
                      KindName(c.kind), size, slot.name),
          RebuildHint());
    }
    if (SlotValue(c.table, slot.end) == nullptr) {
      return Refuse(
          lib.path,
          fmt::format("its {} table lacks the required slot '{}'", KindName(c.kind), slot.name),
          fmt::format("implement '{}'", slot.name));
    }
  }
  return c.table;
}

Result<ComponentInstance> CreateComponent(const OpenedLibrary& lib, uint32_t index,
                                          const std::string& config_json,
                                          const std::string& state_dir, const sb_host_api* host,
                                          bool durable) {
  auto table = CheckComponent(lib, index);
  if (!table) return table.failure();
  const sb_component& c = lib.entry->components[index];
  const auto* slots = static_cast<const LifecycleSlots*>(*table);
  sb_create_args args{};
  args.struct_size = sizeof(args);
  args.config_json = config_json.c_str();
  args.config_len = config_json.size();
  args.state_dir = state_dir.c_str();
  args.durable = durable ? 1 : 0;
  args.host = host;
  sb_error err;
  sb_error_init(&err);
  void* self = nullptr;
  sb_status status = slots->create(&args, &self, &err);
  if (status != SB_OK) {
    std::string field = err.field;
    return MakeFailure(
        "plugin_refused",
        fmt::format("{}: {} '{}' refused to start ({}): {}", lib.path.string(), KindName(c.kind),
                    c.id != nullptr ? c.id : "", sb_status_name(status), ErrorText(err)),
        field.empty() ? "fix the plugin's [plugin.config] table in plugins.toml"
                      : fmt::format("fix '{}' in the plugin's [plugin.config] table", field),
        field);
  }
  return ComponentInstance(c.kind, *table, self);
}

void DeinitPlugin(const OpenedLibrary& lib) {
  if (lib.entry != nullptr && lib.entry->deinit != nullptr) lib.entry->deinit();
}

Result<fs::path> ResolvePluginFile(const std::string& name,
                                   const std::optional<fs::path>& explicit_path) {
  if (explicit_path) return *explicit_path;
  std::vector<fs::path> dirs = PluginPathFromEnvironment();
  dirs.push_back(BuiltinPluginDir());
  std::string searched;
  for (const auto& dir : dirs) {
    fs::path candidate = dir / (name + ".so");
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
    searched += (searched.empty() ? "" : ", ") + candidate.string();
  }
  const std::string fix =
      "build or install it, give its path in plugins.toml, or add its directory to "
      "SWITCHBOARD_PLUGIN_PATH";
  return MakeFailure(
      "plugin_refused",
      fmt::format("plugin '{}' was not found (looked for {}); {}", name, searched, fix), fix);
}

Result<LoadedLibrary> LoadLibraryChecked(const fs::path& path, const sb_host_api* host) {
  if (auto st = CheckPluginFile(path); !st) return st.failure();
  if (auto st = CheckEntrySymbol(path); !st) return st.failure();
  auto lib = OpenLibrary(path);
  if (!lib) return lib.failure();
  if (auto st = Negotiate(*lib); !st) return st.failure();
  auto info = CheckMetadata(*lib);
  if (!info) return info.failure();
  if (auto st = InitPlugin(*lib, host); !st) return st.failure();
  return LoadedLibrary{*lib, *info};
}

}  // namespace sb
