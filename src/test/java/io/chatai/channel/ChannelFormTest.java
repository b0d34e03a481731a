package io.chatai.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatai.core.ApiException;
import io.chatai.core.Cancellation;
import io.chatai.core.JsonBody;
import io.chatai.core.message.Completion;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamSink;
import io.chatai.provider.ChannelRules;
import io.chatai.provider.HttpChannelRules;
import io.chatai.provider.Provider;
import io.chatai.provider.Providers;
import io.chatai.provider.TypeFields;
import io.chatai.provider.Upstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic channel form: the fields every channel has, and the type's own fields asked of its provider. */
class ChannelFormTest {
    /** A type this form has never heard of: its fields are a "site" kept in baseUrl, and it takes no keys. */
    private static final ChannelRules PIGEON_RULES = new ChannelRules() {
        @Override
        public TypeFields defaults() {
            return TypeFields.NONE.withBaseUrl("loft://home");
        }

        @Override
        public TypeFields merge(TypeFields stored, boolean sameType, JsonBody body) {
            if (body.has("apiKeys")) {
                throw ApiException.invalid("a pigeon carries no keys");
            }
            return body.has("baseUrl") ? stored.withBaseUrl("loft://" + body.optionalString("baseUrl", 100)) : stored;
        }
    };

    private final ChannelForm form = new ChannelForm(new Providers(Map.of(
            "pigeon", provider(PIGEON_RULES),
            "openai", provider(new HttpChannelRules("https://api.openai.com/v1")),
            "anthropic", provider(new HttpChannelRules("https://api.anthropic.com")))));

    private static Provider provider(ChannelRules rules) {
        return new Provider() {
            @Override
            public Completion complete(Upstream upstream, ModelRequest request, Cancellation cancellation) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void stream(Upstream upstream, ModelRequest request, StreamSink sink, Cancellation cancellation) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ChannelRules channelRules() {
                return rules;
            }
        };
    }

    private static JsonBody body(String json) {
        return JsonBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_ask_the_provider_of_the_channel_type_for_its_defaults_and_rules() {
        Channel created = form.create(body("{\"name\": \"p\", \"type\": \"pigeon\"}"), 5);
        assertThat(created.baseUrl()).isEqualTo("loft://home");

        Channel moved = form.merge(created, body("{\"baseUrl\": \"barn\"}"), 6);
        assertThat(moved.baseUrl()).isEqualTo("loft://barn");

        assertThatThrownBy(() -> form.create(body("{\"name\": \"p\", \"type\": \"pigeon\", \"apiKeys\": [\"k\"]}"), 5))
                .hasMessage("a pigeon carries no keys");
    }

    @Test
    void should_give_a_new_channel_the_contract_defaults() {
        Channel created = form.create(body("{\"name\": \"main\", \"type\": \"OpenAI\"}"), 42);

        assertThat(created.id()).startsWith("ch_");
        assertThat(created.type()).isEqualTo("openai");
        assertThat(created.baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(created.apiKeys()).isEmpty();
        assertThat(created.models()).containsExactly("*");
        assertThat(created.priority()).isZero();
        assertThat(created.weight()).isEqualTo(1);
        assertThat(created.enabled()).isTrue();
        assertThat(created.timeoutMs()).isEqualTo(60_000);
        assertThat(created.totalTimeoutMs()).isEqualTo(600_000);
        assertThat(created.createdAt()).isEqualTo(42);
        assertThat(created.updatedAt()).isEqualTo(42);
    }

    @Test
    void should_merge_only_the_fields_sent_and_count_the_edit() {
        Channel created = form.create(body("""
                {"name": "main", "type": "openai", "baseUrl": "http://127.0.0.1:9/v1", "apiKeys": ["sk-first-key-0000aaaa"],
                 "priority": 3, "weight": 2, "timeoutMs": 5000, "headers": {"X-Org": "org-secret-value-9876"}}"""), 1);

        Channel merged = form.merge(created, body("{\"weight\": 7, \"headers\": {\"X-Org\": \"…9876\"}}"), 2);

        assertThat(merged.weight()).isEqualTo(7);
        assertThat(merged.priority()).isEqualTo(3);
        assertThat(merged.timeoutMs()).isEqualTo(5000);
        assertThat(merged.baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
        assertThat(merged.apiKeys()).containsExactly("sk-first-key-0000aaaa");
        assertThat(merged.headers()).containsEntry("X-Org", "org-secret-value-9876");
        assertThat(merged.revision()).isEqualTo(created.revision() + 1);
        assertThat(merged.createdAt()).isEqualTo(1);
        assertThat(merged.updatedAt()).isEqualTo(2);
    }

    @Test
    void should_refuse_a_model_file_on_a_channel_reached_over_http() {
        assertThatThrownBy(() -> form.create(body("{\"name\": \"m\", \"type\": \"openai\", \"modelPath\": \"/m.gguf\"}"), 1))
                .isInstanceOf(ApiException.class).hasMessageContaining("modelPath and options are for a model run in-process");
        assertThatThrownBy(() -> form.create(body("{\"name\": \"m\", \"type\": \"openai\", \"options\": {\"threads\": 1}}"), 1))
                .isInstanceOf(ApiException.class).hasMessageContaining("modelPath and options");
    }

    @Test
    void should_keep_base_url_and_keys_when_one_http_type_becomes_another_and_restore_the_default_on_null() {
        Channel created = form.create(body("{\"name\": \"m\", \"type\": \"openai\", \"baseUrl\": \"https://proxy.example/v1\", "
                + "\"apiKeys\": [\"sk-kept-key-00001111\"]}"), 1);

        Channel switched = form.merge(created, body("{\"type\": \"anthropic\"}"), 2);
        assertThat(switched.type()).isEqualTo("anthropic");
        assertThat(switched.baseUrl()).isEqualTo("https://proxy.example/v1");
        assertThat(switched.apiKeys()).containsExactly("sk-kept-key-00001111");

        Channel reset = form.merge(switched, body("{\"baseUrl\": null}"), 3);
        assertThat(reset.baseUrl()).isEqualTo("https://api.anthropic.com");
    }

    @Test
    void should_name_the_known_types_when_the_type_is_unknown() {
        assertThatThrownBy(() -> form.create(body("{\"name\": \"m\", \"type\": \"carrier\"}"), 1))
                .hasMessage("type must be one of anthropic, openai, pigeon, got 'carrier'");
    }

    @Test
    void should_pass_both_timeouts_of_the_channel_to_the_upstream_call() {
        Channel channel = form.create(body("{\"name\": \"t\", \"type\": \"openai\", \"timeoutMs\": 2500, \"totalTimeoutMs\": 45000}"), 1);

        Upstream upstream = channel.upstream("sk-key-000000000001");

        assertThat(upstream.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(upstream.totalTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(form.create(body("{\"name\": \"t\", \"type\": \"openai\"}"), 1).upstream(null).totalTimeout())
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void should_build_a_channel_by_name_from_its_defaults() {
        Channel channel = Channel.defaults("ch_x", "x", "openai", 7).priority(-2).weight(5).timeoutMs(900).models(List.of("a")).build();

        assertThat(channel.priority()).isEqualTo(-2);
        assertThat(channel.weight()).isEqualTo(5);
        assertThat(channel.timeoutMs()).isEqualTo(900);
        assertThat(channel.toBuilder().edited(8).build()).satisfies(edited -> {
            assertThat(edited.revision()).isEqualTo(channel.revision() + 1);
            assertThat(edited.updatedAt()).isEqualTo(8);
            assertThat(edited.priority()).isEqualTo(-2);
        });
    }
}
