package io.chatai.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

/** Token arrays read back as the text tiktoken (cl100k_base) encoded. */
class TokenArraysTest {
    private final TokenArrays arrays = new TokenArrays();
    private final Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    @Test
    void should_read_back_exactly_the_text_that_was_encoded() {
        for (String text : new String[] {"cat", "A kitten sleeps on the mat.", "数据库 and émojis 🙂", "  spaced\n\nlines "}) {
            assertThat(arrays.decode(cl100k.encode(text).toArray())).isEqualTo(text);
        }
    }

    @Test
    void should_refuse_a_token_cl100k_does_not_have() {
        assertThatThrownBy(() -> arrays.decode(new int[] {9246, 999_999_999})).isInstanceOf(RuntimeException.class);
    }
}
