package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.Json;
import io.chatai.store.SecretBox;
import io.chatai.testing.TestStore;
import io.chatai.core.JsonBody;
import io.chatai.provider.Providers;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.openai.OpenAiProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Channels stored with their keys sealed, on the database under test. */
class ChannelRepositoryIT {
    private static final String KEY = "sk-live-0123456789abcdefghij";

    private final TestStore store = new TestStore();
    private final ChannelForm form = new ChannelForm(new Providers(Map.of("openai", new OpenAiProvider(new UpstreamHttp()))));

    @AfterEach
    void close() {
        store.close();
    }

    private Channel channel(String name, int priority) {
        ObjectNode body = Json.MAPPER.valueToTree(Map.of("name", name, "type", "openai", "baseUrl", "http://127.0.0.1:9/v1",
                "apiKeys", List.of(KEY, KEY + "-2"), "models", List.of("gpt-a", "gpt-b"), "modelMapping", Map.of("gpt-a", "gpt-a-2026"),
                "priority", priority, "headers", Map.of("X-Tenant", "secret-tenant-header"), "timeoutMs", 1_234));
        return form.create(new JsonBody(body), 1_000);
    }

    @Test
    void should_round_trip_every_field_and_keep_secrets_sealed_at_rest() {
        ChannelRepository channels = new ChannelRepository(store.database(), new SecretBox("a secret of at least 16 chars"));
        Channel low = channel("low", 1);
        Channel high = channel("high", 5);
        channels.insert(low);
        channels.insert(high);

        assertThat(channels.find(low.id())).contains(low);
        assertThat(channels.list()).containsExactly(high, low);
        assertThat(store.dump("channels")).doesNotContain(KEY, "secret-tenant-header").contains("enc:v1:", "gpt-a-2026");
    }

    @Test
    void should_update_and_delete_by_id() {
        ChannelRepository channels = new ChannelRepository(store.database(), new SecretBox(null));
        Channel stored = channel("main", 1);
        channels.insert(stored);
        Channel edited = form.merge(stored, new JsonBody(Json.MAPPER.valueToTree(Map.of("enabled", false, "weight", 7))), 2_000);

        assertThat(channels.update(edited)).isTrue();
        assertThat(channels.find(stored.id())).contains(edited);
        assertThat(channels.delete(stored.id())).isTrue();
        assertThat(channels.update(edited)).isFalse();
        assertThat(channels.delete(stored.id())).isFalse();
        assertThat(channels.list()).isEmpty();
    }

    @Test
    void should_seal_channels_stored_before_a_secret_was_set() {
        Channel plain = channel("old", 1);
        new ChannelRepository(store.database(), new SecretBox(null)).insert(plain);
        assertThat(store.dump("channels")).contains(KEY);

        ChannelRepository sealing = new ChannelRepository(store.database(), new SecretBox("a secret of at least 16 chars"));
        assertThat(sealing.sealPlaintext()).isEqualTo(1);

        assertThat(store.dump("channels")).doesNotContain(KEY, "secret-tenant-header");
        assertThat(sealing.find(plain.id())).contains(plain);
        assertThat(sealing.sealPlaintext()).isZero();
    }
}
