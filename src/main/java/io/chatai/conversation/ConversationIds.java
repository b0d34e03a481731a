package io.chatai.conversation;

import io.chatai.core.Secrets;
import java.util.regex.Pattern;

/** Conversation ids: {@code conv_} and 24 random base62 characters (about 142 bits), unguessable. */
public final class ConversationIds {
    private static final Pattern VALID = Pattern.compile("conv_[0-9A-Za-z]{20,64}");

    private ConversationIds() {
    }

    public static String newId() {
        return Secrets.newToken("conv_", 24);
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
