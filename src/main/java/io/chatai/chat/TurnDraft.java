package io.chatai.chat;

import io.chatai.conversation.Scope;
import io.chatai.conversation.Speaker;
import io.chatai.core.message.ToolSpec;
import io.chatai.image.StoredImage;
import java.util.List;

/**
 * What a turn commits besides its loop's steps, fixed when it starts: whose it is, where it goes and the user's
 * message. A paused turn stores it (with {@link PausedTurns}) so that its continuation, on any instance, commits
 * exactly what the first request would have. Immutable.
 *
 * @param toolPatterns the request's narrowing of the preset's tools (null: the preset's)
 * @param message      the user's text, for long-term memory
 */
record TurnDraft(String turnId, String keyId, String userId, String groupId, String userName, String conversationId,
                 Scope scope, Speaker speaker, String presetId, boolean mayCreate, String model, String message,
                 int userTokens, long receivedAt, String requestId, List<StoredImage> images, List<String> toolPatterns,
                 List<ToolSpec> clientTools) {
}
