package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.TokenUsage;
import io.chatai.image.StoredImage;
import java.util.List;

/**
 * Everything one completed turn writes, in one transaction. Immutable.
 *
 * @param create     true when the conversation may be created by this commit (it was new or pending)
 * @param user       the user's message as sent upstream
 * @param steps      the tool steps between the user's message and the answer, in order: assistant messages with
 *                   tool calls and tool results (empty for a turn without tools)
 * @param stepTokens each step's cost in a prompt, in the order of {@code steps}
 * @param reply      the assistant's final message as the model produced it (reasoning included, no tool call)
 * @param answer     the answer's text as the client got it: the text of every assistant message of the turn
 * @param requestId  the client's idempotency key, or null
 * @param images     the images of the user message, in the order of its image parts (stored with the turn)
 */
public record TurnCommit(String conversationId, Scope scope, String presetId, boolean create,
                         ChatMessage.User user, int userTokens, long userAt,
                         List<ChatMessage> steps, List<Integer> stepTokens,
                         ChatMessage.Assistant reply, String answer, int replyTokens, long replyAt,
                         String requestId, String model, TokenUsage usage, List<StoredImage> images) {
    public TurnCommit {
        steps = List.copyOf(steps);
        stepTokens = List.copyOf(stepTokens);
        images = List.copyOf(images);
        if (steps.size() != stepTokens.size()) {
            throw new IllegalArgumentException("one token count per step");
        }
    }

    /** A turn without tool steps. */
    public TurnCommit(String conversationId, Scope scope, String presetId, boolean create, ChatMessage.User user,
                      int userTokens, long userAt, ChatMessage.Assistant reply, int replyTokens, long replyAt,
                      String requestId, String model, TokenUsage usage, List<StoredImage> images) {
        this(conversationId, scope, presetId, create, user, userTokens, userAt, List.of(), List.of(), reply,
                reply.text(), replyTokens, replyAt, requestId, model, usage, images);
    }

    /** A turn without tool steps or images. */
    public TurnCommit(String conversationId, Scope scope, String presetId, boolean create, ChatMessage.User user,
                      int userTokens, long userAt, ChatMessage.Assistant reply, int replyTokens, long replyAt,
                      String requestId, String model, TokenUsage usage) {
        this(conversationId, scope, presetId, create, user, userTokens, userAt, reply, replyTokens, replyAt,
                requestId, model, usage, List.of());
    }
}
