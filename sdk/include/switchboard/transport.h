/*
 * switchboard/transport.h — the transport kind, reserved in plugin ABI 1.0.
 *
 * Purpose: a transport accepts requests from outside the stdio session (MCP over HTTP, an event
 * stream). ABI 1.0 reserves the kind id (SB_KIND_TRANSPORT in abi.h) and this header, but defines
 * no table yet: the table arrives with the HTTP transport as an appended minor version. A 1.0 host
 * refuses a transport component with a message saying its ABI does not support the kind yet.
 */
#ifndef SWITCHBOARD_TRANSPORT_H
#define SWITCHBOARD_TRANSPORT_H

#include "switchboard/abi.h"

#endif /* SWITCHBOARD_TRANSPORT_H */
