package io.chatai.channel;

import io.chatai.store.SecretBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    @Test
    void should_seal_and_open_with_the_same_secret() {
        SecretBox box = new SecretBox("correct horse battery staple");
        String sealed = box.seal("[\"sk-secret\"]");

        assertThat(sealed).startsWith("enc:v1:").doesNotContain("sk-secret");
        assertThat(box.seal("[\"sk-secret\"]")).isNotEqualTo(sealed); // a fresh IV every time
        assertThat(new SecretBox("correct horse battery staple").open(sealed)).isEqualTo("[\"sk-secret\"]");
    }

    @Test
    void should_refuse_to_open_with_another_or_no_secret() {
        String sealed = new SecretBox("correct horse battery staple").seal("x");

        assertThatThrownBy(() -> new SecretBox("another secret of length").open(sealed)).hasMessageContaining("CHATAI_SECRET_KEY");
        assertThatThrownBy(() -> new SecretBox(null).open(sealed)).hasMessageContaining("CHATAI_SECRET_KEY");
    }

    @Test
    void should_store_plainly_without_a_secret_and_read_plain_values_with_one() {
        assertThat(new SecretBox(null).seal("[]")).isEqualTo("[]");
        assertThat(new SecretBox("correct horse battery staple").open("[\"old\"]")).isEqualTo("[\"old\"]");
    }
}
