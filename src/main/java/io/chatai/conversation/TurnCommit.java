package io.chatai.conversation;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.TokenUsage;
import io.chatai.image.StoredImage;
import java.util.List;

/**
 * Everything one completed turn writes, in one transaction. Immutable.
 *
 * @param create    true when the conversation may be created by this commit (it was new or pending)
 * @param user      the user's message as sent upstream
 * @param reply     the assistant's message as the model produced it (reasoning and tool calls included)
 * @param requestId the client's idempotency key, or null
 * @param images    the images of the user message, in the order of its image parts (stored with the turn)
 * @param speaker   who asked, in a group's shared conversation (stored with the user message); null otherwise
 */
public record TurnCommit(String conversationId, Scope scope, String presetId, boolean create,
                         ChatMessage.User user, int userTokens, long userAt,
                         ChatMessage.Assistant reply, int replyTokens, long replyAt,
                         String requestId, String model, TokenUsage usage, List<StoredImage> images, Speaker speaker) {

    /** The user the turn is for: the speaker in a group's conversation, else the conversation's user. */
    public String requesterId() {
        return speaker != null ? speaker.userId() : scope.userId();
    }

    /** A turn without images. */
    public TurnCommit(String conversationId, Scope scope, String presetId, boolean create, ChatMessage.User user,
                      int userTokens, long userAt, ChatMessage.Assistant reply, int replyTokens, long replyAt,
                      String requestId, String model, TokenUsage usage) {
        this(conversationId, scope, presetId, create, user, userTokens, userAt, reply, replyTokens, replyAt,
                requestId, model, usage, List.of(), null);
    }
}
