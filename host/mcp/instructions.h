// instructions.h — the `instructions` text of the initialize result (MCP.md §3.5): a short guide
// for the calling model, at most 2,048 characters.
#pragma once

#include <string_view>

namespace sb::mcp {

inline constexpr std::string_view kInstructions =
    "Switchboard passes tasks to other AI coding agents, each working in its own project "
    "directory, and records every piece of work as a job you can look up later. First call "
    "list_agents (and list_groups) to learn which agents exist and what each one knows. For a "
    "short task whose answer you can wait for, use dispatch. For work that may take more than a "
    "minute, start it with dispatch_async and follow it with dispatch_wait or dispatch_status; "
    "fetch_result returns the full output. To continue a conversation with an agent, pass the "
    "session_id of its earlier result to dispatch_session. Independent tasks can go out together "
    "with dispatch_parallel. send_to_agent routes work by agent name or by required capabilities, "
    "with a priority or a deadline; msg_post, msg_list and msg_wait carry threads of messages "
    "between agents. Every tool answers with a JSON document. When a call fails, the document has "
    "an \"error\" field saying what went wrong and usually a \"hint\" saying how to fix the call. "
    "Never dispatch to an agent that may dispatch back to you: nesting depth is limited.";

}  // namespace sb::mcp
