"""Realistic payloads for every item kind, shaped like what the API and the official SDK send.

REQUEST_ITEMS: (expected class, payload) for all 28 schemas of ``InputItem``.
RESPONSE_ITEMS: (expected class, payload) for all 25 schemas of ``ConversationItem``.
Extra keys the spec does not declare (``caller``, ``prompt_cache_breakpoint``) appear on
purpose: they must survive a round trip.
"""

from __future__ import annotations

from typing import Any

TEXT = {"type": "input_text", "text": "Hello!"}
OUTPUT_TEXT = {"type": "output_text", "text": "Hi there.", "annotations": []}
SCREENSHOT = {"type": "computer_screenshot", "image_url": "https://Example.com/shot.png"}
ACTION_SEARCH = {"type": "search", "query": "weather in Paris"}

REQUEST_ITEMS: list[tuple[str, dict[str, Any]]] = [
    ("EasyInputMessage", {"role": "user", "content": "What is the weather in Paris?"}),
    ("EasyInputMessage", {"type": "message", "role": "assistant", "content": "Sunny.", "phase": "final_answer"}),
    (
        "InputMessage",
        {
            "type": "message",
            "role": "user",
            "content": [TEXT, {"type": "input_image", "image_url": "https://EXAMPLE.com/a.png", "detail": "auto"}],
        },
    ),
    ("InputMessage", {"role": "developer", "content": [{"type": "input_file", "file_id": "file_1", "detail": "auto"}]}),
    # List content and `phase`: InputMessage fits too, but only EasyInputMessage declares `phase`.
    ("EasyInputMessage", {"type": "message", "role": "user", "content": [TEXT], "phase": "commentary"}),
    ("EasyInputMessage", {"role": "developer", "content": [TEXT], "phase": "final_answer"}),
    (
        "OutputMessage",
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "completed",
            "content": [OUTPUT_TEXT, {"type": "refusal", "refusal": "no"}],
        },
    ),
    (
        "FileSearchToolCall",
        {
            "type": "file_search_call",
            "id": "fs_1",
            "status": "completed",
            "queries": ["q"],
            "results": [
                {
                    "file_id": "f",
                    "text": "t",
                    "filename": "a.txt",
                    "score": 0.5,
                    "attributes": {"k": "v", "n": 1, "b": True},
                }
            ],
        },
    ),
    (
        "ComputerToolCall",
        {
            "type": "computer_call",
            "id": "cu_1",
            "call_id": "call_1",
            "status": "completed",
            "pending_safety_checks": [],
            "action": {"type": "click", "button": "left", "x": 1, "y": 2},
        },
    ),
    ("ComputerCallOutputItemParam", {"type": "computer_call_output", "call_id": "call_1", "output": SCREENSHOT}),
    ("WebSearchToolCall", {"type": "web_search_call", "id": "ws_1", "status": "incomplete", "action": ACTION_SEARCH}),
    (
        "FunctionToolCall",
        {
            "type": "function_call",
            "call_id": "call_2",
            "name": "get_weather",
            "arguments": '{"city": "Paris"}',
            "caller": {"type": "direct"},
        },
    ),
    ("FunctionCallOutputItemParam", {"type": "function_call_output", "call_id": "call_2", "output": '{"temp": 21}'}),
    (
        "FunctionCallOutputItemParam",
        {"type": "function_call_output", "call_id": "call_3", "output": [{"type": "input_text", "text": "ok"}]},
    ),
    ("ToolSearchCallItemParam", {"type": "tool_search_call", "arguments": {"query": "weather"}}),
    ("ToolSearchCallItemParam", {"type": "tool_search_call", "arguments": '{"query": "weather"}'}),
    (
        "ToolSearchOutputItemParam",
        {
            "type": "tool_search_output",
            "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}, "strict": True}],
        },
    ),
    ("ReasoningItem", {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "thinking"}]}),
    ("CompactionSummaryItemParam", {"type": "compaction", "encrypted_content": "gAAAA"}),
    ("ImageGenToolCall", {"type": "image_generation_call", "id": "ig_1", "status": "completed", "result": "aGVsbG8="}),
    (
        "CodeInterpreterToolCall",
        {
            "type": "code_interpreter_call",
            "id": "ci_1",
            "status": "completed",
            "container_id": "cntr_1",
            "code": "print(1)",
            "outputs": [{"type": "logs", "logs": "1\n"}],
        },
    ),
    (
        "LocalShellToolCall",
        {
            "type": "local_shell_call",
            "id": "ls_1",
            "call_id": "call_4",
            "status": "completed",
            "action": {"type": "exec", "command": ["ls"], "env": {}},
        },
    ),
    ("LocalShellToolCallOutput", {"type": "local_shell_call_output", "id": "call_4", "output": "a.txt\n"}),
    ("FunctionShellCallItemParam", {"type": "shell_call", "call_id": "call_5", "action": {"commands": ["ls -la"]}}),
    (
        "FunctionShellCallOutputItemParam",
        {
            "type": "shell_call_output",
            "call_id": "call_5",
            "output": [{"stdout": "x", "stderr": "", "outcome": {"type": "exit", "exit_code": 0}}],
        },
    ),
    (
        "ApplyPatchToolCallItemParam",
        {
            "type": "apply_patch_call",
            "call_id": "call_6",
            "status": "completed",
            "operation": {"type": "delete_file", "path": "a.txt"},
        },
    ),
    (
        "ApplyPatchToolCallOutputItemParam",
        {"type": "apply_patch_call_output", "call_id": "call_6", "status": "completed"},
    ),
    (
        "MCPListTools",
        {
            "type": "mcp_list_tools",
            "id": "mcpl_1",
            "server_label": "deepwiki",
            "tools": [{"name": "ask", "input_schema": {"type": "object"}}],
        },
    ),
    (
        "MCPApprovalRequest",
        {"type": "mcp_approval_request", "id": "mcpr_1", "server_label": "deepwiki", "name": "ask", "arguments": "{}"},
    ),
    ("MCPApprovalResponse", {"type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": True}),
    (
        "MCPToolCall",
        {
            "type": "mcp_call",
            "id": "mcp_1",
            "server_label": "deepwiki",
            "name": "ask",
            "arguments": "{}",
            "output": "42",
        },
    ),
    ("CustomToolCallOutput", {"type": "custom_tool_call_output", "call_id": "call_7", "output": "done"}),
    ("CustomToolCall", {"type": "custom_tool_call", "call_id": "call_7", "name": "grammar", "input": "x = 1"}),
    ("ItemReferenceParam", {"id": "msg_1"}),
    ("ItemReferenceParam", {"type": None, "id": "msg_2"}),
    ("ItemReferenceParam", {"type": "item_reference", "id": "msg_3"}),
]

RESPONSE_ITEMS: list[tuple[str, dict[str, Any]]] = [
    ("Message", {"type": "message", "id": "msg_1", "status": "completed", "role": "user", "content": [TEXT]}),
    (
        "Message",
        {
            "type": "message",
            "id": "msg_2",
            "status": "completed",
            "role": "assistant",
            "content": [{**OUTPUT_TEXT, "logprobs": []}],
            "phase": "final_answer",
        },
    ),
    (
        "FunctionToolCallResource",
        {
            "type": "function_call",
            "id": "fc_1",
            "call_id": "call_1",
            "name": "f",
            "arguments": "{}",
            "status": "completed",
            "caller": {"type": "direct"},
        },
    ),
    (
        "FunctionToolCallOutputResource",
        {"type": "function_call_output", "id": "fco_1", "call_id": "call_1", "output": "42", "status": "completed"},
    ),
    (
        "FunctionToolCallOutputResource",
        {"type": "function_call_output", "id": "fco_2", "output": "42", "status": "completed"},
    ),
    (
        "FileSearchToolCall",
        {"type": "file_search_call", "id": "fs_1", "status": "completed", "queries": ["q"], "results": None},
    ),
    (
        "WebSearchToolCall",
        {
            "type": "web_search_call",
            "id": "ws_1",
            "status": "completed",
            "action": {"type": "open_page", "url": "https://EXAMPLE.com"},
        },
    ),
    ("ImageGenToolCall", {"type": "image_generation_call", "id": "ig_1", "status": "generating", "result": None}),
    (
        "ComputerToolCall",
        {
            "type": "computer_call",
            "id": "cu_1",
            "call_id": "call_2",
            "status": "completed",
            "pending_safety_checks": [],
            "action": {"type": "screenshot"},
        },
    ),
    (
        "ComputerToolCallOutputResource",
        {
            "type": "computer_call_output",
            "id": "cuo_1",
            "call_id": "call_2",
            "status": "in_progress",
            "output": SCREENSHOT,
        },
    ),
    (
        "ToolSearchCall",
        {
            "type": "tool_search_call",
            "id": "ts_1",
            "call_id": None,
            "execution": "server",
            "arguments": {"query": "x"},
            "status": "completed",
        },
    ),
    (
        "ToolSearchOutput",
        {
            "type": "tool_search_output",
            "id": "tso_1",
            "call_id": None,
            "execution": "server",
            "tools": [],
            "status": "completed",
        },
    ),
    ("ReasoningItem", {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAA"}),
    ("CompactionBody", {"type": "compaction", "id": "cmp_1", "encrypted_content": "gAAAA"}),
    (
        "CodeInterpreterToolCall",
        {
            "type": "code_interpreter_call",
            "id": "ci_1",
            "status": "completed",
            "container_id": "cntr_1",
            "code": None,
            "outputs": None,
        },
    ),
    (
        "LocalShellToolCall",
        {
            "type": "local_shell_call",
            "id": "ls_1",
            "call_id": "call_3",
            "status": "completed",
            "action": {"type": "exec", "command": ["ls"], "env": {"A": "1"}},
        },
    ),
    (
        "LocalShellToolCallOutput",
        {"type": "local_shell_call_output", "id": "lso_1", "output": "ok", "status": "completed"},
    ),
    (
        "FunctionShellCall",
        {
            "type": "shell_call",
            "id": "sh_1",
            "call_id": "call_4",
            "status": "completed",
            "action": {"commands": ["ls"]},
        },
    ),
    (
        "FunctionShellCall",
        {
            "type": "shell_call",
            "id": "sh_2",
            "call_id": "call_5",
            "status": "completed",
            "action": {"commands": ["ls"], "timeout_ms": None, "max_output_length": 100},
            "environment": {"type": "local"},
        },
    ),
    (
        "FunctionShellCallOutput",
        {
            "type": "shell_call_output",
            "id": "sho_1",
            "call_id": "call_4",
            "status": "completed",
            "output": [{"stdout": "", "stderr": "", "outcome": {"type": "timeout"}}],
        },
    ),
    (
        "ApplyPatchToolCall",
        {
            "type": "apply_patch_call",
            "id": "ap_1",
            "call_id": "call_6",
            "status": "completed",
            "operation": {"type": "update_file", "path": "a.py", "diff": "@@"},
        },
    ),
    (
        "ApplyPatchToolCallOutput",
        {
            "type": "apply_patch_call_output",
            "id": "apo_1",
            "call_id": "call_6",
            "status": "failed",
            "output": "conflict",
        },
    ),
    ("MCPListTools", {"type": "mcp_list_tools", "id": "mcpl_1", "server_label": "s", "tools": [], "error": None}),
    (
        "MCPApprovalRequest",
        {"type": "mcp_approval_request", "id": "mcpr_1", "server_label": "s", "name": "n", "arguments": "{}"},
    ),
    (
        "MCPApprovalResponseResource",
        {
            "type": "mcp_approval_response",
            "id": "mcpa_1",
            "approval_request_id": "mcpr_1",
            "approve": False,
            "reason": "no",
        },
    ),
    (
        "MCPToolCall",
        {
            "type": "mcp_call",
            "id": "mcp_1",
            "server_label": "s",
            "name": "n",
            "arguments": "{}",
            "error": {"type": "mcp_protocol_error", "code": -32600, "message": "boom"},
        },
    ),
    (
        "CustomToolCall",
        {
            "type": "custom_tool_call",
            "id": "ctc_1",
            "call_id": "call_7",
            "name": "g",
            "input": "x",
            "prompt_cache_breakpoint": True,
        },
    ),
    (
        "CustomToolCallOutput",
        {"type": "custom_tool_call_output", "id": "ctco_1", "call_id": "call_7", "output": [TEXT]},
    ),
]

UNKNOWN_ITEM = {
    "type": "hologram_call",
    "id": "hg_1",
    "status": "completed",
    "beams": [{"x": 1}],
    "meta": {"async": True},
}


def request_item_variants() -> list[tuple[str, dict[str, Any]]]:
    """Every payload of REQUEST_ITEMS, plus, per payload, one variant for each field of its
    model: an optional field left out, or a field it does not send set to null. A variant
    counts only when the request union still validates it as the same class (so it is
    spec-valid). The reference server must store and list back every one."""
    from conversations import InputItem
    from pydantic import TypeAdapter, ValidationError

    adapter: TypeAdapter[Any] = TypeAdapter(InputItem)
    out: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for expected, payload in REQUEST_ITEMS:
        model = type(adapter.validate_python(payload))
        candidates = [payload]
        for name, field in model.model_fields.items():
            wire = field.alias or name
            if wire not in payload:
                candidates.append({**payload, wire: None})
            elif not field.is_required():
                candidates.append({k: v for k, v in payload.items() if k != wire})
        for candidate in candidates:
            key = repr(sorted(candidate.items(), key=lambda kv: kv[0]))
            try:
                valid = type(adapter.validate_python(candidate)).__name__ == expected
            except ValidationError:
                valid = False
            if valid and key not in seen:
                seen.add(key)
                out.append((expected, candidate))
    return out
