package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Who said a message of a group's shared conversation: the user's id and the name the request gave (or
 * null). The model sees each such message as {@code [name(id)]: text} ({@code [id]: text} without a name).
 * Immutable.
 */
public record Speaker(String userId, String name) {

    /** The label a message of this speaker starts with upstream. */
    public String label() {
        return name == null ? "[" + userId + "]: " : "[" + name + "(" + userId + ")]: ";
    }

    /** The message as the model gets it: its first text part (or a new one, before images) starts with the label. */
    public ChatMessage.User attribute(ChatMessage.User message) {
        List<Part> parts = new ArrayList<>(message.content().size() + 1);
        boolean labelled = false;
        for (Part part : message.content()) {
            if (!labelled && part instanceof Part.Text text) {
                parts.add(new Part.Text(label() + text.text()));
                labelled = true;
            } else {
                parts.add(part);
            }
        }
        if (!labelled) {
            parts.addFirst(new Part.Text(label().strip()));
        }
        return new ChatMessage.User(parts, message.name());
    }
}
