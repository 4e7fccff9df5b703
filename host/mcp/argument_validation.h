// argument_validation.h — the generic argument checks of MCP.md §6.2, run before any tool code.
//
// Purpose: checks `arguments` against a tool's inputSchema and returns the coerced arguments, or
// the first problem as a Failure (code "invalid_argument", `field` = the parameter, a message that
// names the parameter, what was expected and what was received, and a hint). Order: unknown
// argument names, then missing required ones, then each present argument in schema order.
// Coercions: integer from a number with zero fraction or a base-10 string (spaces allowed);
// number from a string holding a finite decimal; boolean from true/false/1/0/yes/no strings (any
// case) and the integers 0/1. `null` means "not given" (dropped; for a required argument it is
// "missing"). Enumerations, minimum and maximum in the schema are checked after coercion.
//
// Threads: pure function.
#pragma once

#include "errors/result.h"
#include "mcp/jsonrpc.h"

namespace sb::mcp {

Result<Json> ValidateArguments(const Json& input_schema, const Json& arguments);

}  // namespace sb::mcp
