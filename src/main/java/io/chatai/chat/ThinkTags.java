package io.chatai.chat;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves {@code <think>…</think>} blocks that a model writes into its answer text out of it, also when a
 * tag arrives split across stream chunks: text goes on as answer, the inside of each block as reasoning.
 * A possible start of a tag at the end of a chunk is held back until the next chunk says what it is
 * (at most seven characters). The answer's leading blank space right after a block is dropped, as models
 * put a blank line between their thinking and their answer. Not thread-safe (one per stream).
 */
final class ThinkTags {
    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    /** What one chunk yields: answer text and reasoning text, either possibly empty. */
    record Split(String text, String reasoning) {
        boolean isEmpty() {
            return text.isEmpty() && reasoning.isEmpty();
        }
    }

    private String held = "";
    private boolean thinking;
    private boolean answerStarted;
    private boolean sawBlock;

    /** The chunk's answer and reasoning, as far as they are certain now. */
    Split accept(String chunk) {
        String buffer = held + chunk;
        held = "";
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        while (!buffer.isEmpty()) {
            String tag = thinking ? CLOSE : OPEN;
            int at = buffer.indexOf(tag);
            if (at >= 0) {
                emit(buffer.substring(0, at), text, reasoning);
                buffer = buffer.substring(at + tag.length());
                thinking = !thinking;
                sawBlock = true;
                continue;
            }
            int keep = partialTagAtEnd(buffer, tag);
            emit(buffer.substring(0, buffer.length() - keep), text, reasoning);
            held = buffer.substring(buffer.length() - keep);
            break;
        }
        return new Split(text.toString(), reasoning.toString());
    }

    /** What is still held at the end: a tag that never completed is ordinary text (or reasoning). */
    Split finish() {
        String rest = held;
        held = "";
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        emit(rest, text, reasoning);
        return new Split(text.toString(), reasoning.toString());
    }

    private void emit(String piece, StringBuilder text, StringBuilder reasoning) {
        if (thinking) {
            reasoning.append(piece);
            return;
        }
        if (!answerStarted && sawBlock) {
            piece = piece.stripLeading();
        }
        if (!piece.isEmpty()) {
            answerStarted = true;
            text.append(piece);
        }
    }

    /** How many characters at the end of {@code buffer} could begin {@code tag}. */
    private static int partialTagAtEnd(String buffer, String tag) {
        for (int length = Math.min(tag.length() - 1, buffer.length()); length > 0; length--) {
            if (tag.startsWith(buffer.substring(buffer.length() - length))) {
                return length;
            }
        }
        return 0;
    }

    /**
     * The assistant message with think blocks moved out of its text parts: each text part becomes its
     * reasoning (a plain {@link Part.Reasoning}, never sent back upstream) followed by its answer text.
     */
    static ChatMessage.Assistant separate(ChatMessage.Assistant message) {
        List<Part> parts = new ArrayList<>(message.content().size() + 1);
        boolean changed = false;
        for (Part part : message.content()) {
            if (part instanceof Part.Text text && text.text().contains(OPEN)) {
                ThinkTags tags = new ThinkTags();
                Split split = tags.accept(text.text());
                Split rest = tags.finish();
                String reasoning = split.reasoning() + rest.reasoning();
                if (!reasoning.isEmpty()) {
                    parts.add(Part.Reasoning.text(reasoning, null));
                }
                parts.add(new Part.Text(split.text() + rest.text()));
                changed = true;
            } else {
                parts.add(part);
            }
        }
        return changed ? new ChatMessage.Assistant(parts) : message;
    }

    /** The readable reasoning of a message, joined; empty when it has none. */
    static String reasoningOf(ChatMessage message) {
        StringBuilder text = new StringBuilder();
        for (Part part : message.content()) {
            if (part instanceof Part.Reasoning r && r.text() != null) {
                text.append(r.text());
            }
        }
        return text.toString();
    }
}
