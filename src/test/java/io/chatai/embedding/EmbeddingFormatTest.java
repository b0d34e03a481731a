package io.chatai.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import io.chatai.provider.EmbeddingAnswer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAI's embeddings response shape, and its base64 encoding: little-endian float32s, as OpenAI sends. */
class EmbeddingFormatTest {

    @Test
    void should_encode_base64_as_little_endian_float32() {
        // 1.0f is 0x3F800000 and 2.0f is 0x40000000: bytes 00 00 80 3F 00 00 00 40 in little-endian order.
        assertThat(EmbeddingFormat.base64(new float[] {1.0f, 2.0f})).isEqualTo("AACAPwAAAEA=");
    }

    @Test
    void should_build_openai_list_with_index_model_and_usage() {
        JsonNode body = Json.MAPPER.valueToTree(EmbeddingFormat.list("local-embedding",
                List.of(new float[] {0.5f, -0.25f}, new float[] {1f, 0f}), false, 7));

        assertThat(body.toString()).isEqualTo("{\"object\":\"list\",\"data\":["
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]},"
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[1.0,0.0]}],"
                + "\"model\":\"local-embedding\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}");
    }

    @Test
    void should_read_back_vectors_of_a_passthrough_answer_in_either_encoding() {
        ObjectNode floats = (ObjectNode) Json.MAPPER.valueToTree(Map.of("data", List.of(Map.of("embedding", List.of(1.0, 2.0)))));
        ObjectNode base64 = (ObjectNode) Json.MAPPER.valueToTree(Map.of("data", List.of(Map.of("embedding", "AACAPwAAAEA="))));

        assertThat(new EmbeddingAnswer.Passthrough(floats, null).vectors().getFirst()).containsExactly(1.0f, 2.0f);
        assertThat(new EmbeddingAnswer.Passthrough(base64, null).vectors().getFirst()).containsExactly(1.0f, 2.0f);
    }
}
