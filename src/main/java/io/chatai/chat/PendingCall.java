package io.chatai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A call of the bot's own tool that a paused turn waits for, as the Chat API shows it. Immutable. */
record PendingCall(String id, String name, JsonNode arguments) {
    static List<PendingCall> of(List<ToolCallView> pending) {
        return pending.stream().map(call -> new PendingCall(call.id(), call.name(), call.arguments())).toList();
    }
}
