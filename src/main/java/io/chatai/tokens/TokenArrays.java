package io.chatai.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * Reads the token arrays OpenAI's embeddings API accepts as input back into text, for upstreams that take
 * text. Every OpenAI embedding model (ada-002, text-embedding-3-small and -large) tokenizes with
 * {@code cl100k_base}, and so do the clients that send token arrays (tiktoken, LangChain's
 * {@code OpenAIEmbeddings}), so that is the encoding read here. Thread-safe.
 */
public final class TokenArrays {
    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    /**
     * The text of one token array.
     *
     * @throws IllegalArgumentException when a token is not one of {@code cl100k_base}'s
     */
    public String decode(int[] tokens) {
        IntArrayList list = new IntArrayList(tokens.length);
        for (int token : tokens) {
            list.add(token);
        }
        return encoding.decode(list);
    }
}
