package io.chatai.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.testing.TestServer;
import io.chatai.testing.PythonSdk;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Python SDK against {@code /v1/embeddings}: it asks for base64 unless told otherwise and
 * decodes it as float32 in the machine's byte order, so the server's base64 must be little-endian float32s
 * like OpenAI's. Skipped, saying why, where python3 with the {@code openai} package is missing.
 */
class EmbeddingsPythonSdkIT {
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults();

    private static final String SCRIPT = """
            import json, os, openai
            client = openai.OpenAI(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0)
            texts = ["cat", "kitten", "car"]
            raw = client.embeddings.with_raw_response.create(model="local-embedding", input=texts)
            default = raw.parse()
            floats = client.embeddings.create(model="local-embedding", input=texts, encoding_format="float")
            try:
                client.embeddings.create(model="no-such-model", input="x")
                error = None
            except openai.APIStatusError as e:
                error = {"class": type(e).__name__, "status": e.status_code, "code": e.code}
            print(json.dumps({
                "requested": json.loads(raw.http_request.content)["encoding_format"],
                "wireIsString": isinstance(raw.http_response.json()["data"][0]["embedding"], str),
                "default": [d.embedding for d in default.data],
                "float": [d.embedding for d in floats.data],
                "model": default.model,
                "promptTokens": default.usage.prompt_tokens,
                "error": error}))
            """;

    @Test
    void should_give_the_python_sdk_the_same_vectors_in_base64_and_float() throws Exception {
        Assumptions.assumeTrue(PythonSdk.available(), PythonSdk.MISSING);

        JsonNode result = new ObjectMapper().readTree(PythonSdk.run(SCRIPT, Map.of("BASE_URL", server.baseUrl() + "/v1",
                "API_KEY", TestServer.ADMIN_KEY)));
        JsonNode server = EmbeddingsPythonSdkIT.server.admin().post("/v1/embeddings", Map.of("model", "local-embedding",
                "input", List.of("cat", "kitten", "car"))).json();

        assertThat(result.path("requested").asText()).isEqualTo("base64");
        assertThat(result.path("wireIsString").asBoolean()).isTrue();
        assertThat(result.path("model").asText()).isEqualTo("local-embedding");
        assertThat(result.path("promptTokens").asInt()).isEqualTo(server.path("usage").path("prompt_tokens").asInt());
        for (int i = 0; i < 3; i++) {
            JsonNode expected = server.path("data").path(i).path("embedding");
            assertThat(result.path("default").path(i)).hasSize(384);
            for (int j = 0; j < 384; j++) {
                float wanted = expected.get(j).floatValue();
                assertThat(result.path("default").path(i).get(j).floatValue()).isEqualTo(wanted);
                assertThat(result.path("float").path(i).get(j).floatValue()).isEqualTo(wanted);
            }
        }
        assertThat(result.path("error").path("class").asText()).isEqualTo("NotFoundError");
        assertThat(result.path("error").path("code").asText()).isEqualTo("model_not_found");
    }
}
