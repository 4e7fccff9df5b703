/* Compiles every C header of the SDK as strict C11 (ABI tests: "the SDK headers compiled as C"). */
#include <switchboard/abi.h>
#include <switchboard/router.h>
#include <switchboard/runner.h>
#include <switchboard/store.h>
#include <switchboard/transport.h>

/* Every table begins with struct_size, as ABI rule 3 requires. */
_Static_assert(offsetof(sb_plugin_entry, struct_size) == 0, "entry starts with struct_size");
_Static_assert(offsetof(sb_runner_v1, struct_size) == 0, "runner table starts with struct_size");
_Static_assert(offsetof(sb_router_v1, struct_size) == 0, "router table starts with struct_size");
_Static_assert(offsetof(sb_store_v1, struct_size) == 0, "store table starts with struct_size");

int sb_c_headers_compile(void) {
  sb_error err;
  sb_error_init(&err);
  sb_error_set(&err, "field", "message");
  return (int)sizeof(sb_store_v1) + (int)(sb_status_name(SB_OK)[0]);
}
