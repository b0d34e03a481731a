package io.chatai.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void should_use_the_contract_defaults() {
        Config config = ConfigLoader.load(Map.of());

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:" + Path.of("./data").resolve("chatai.db"));
        assertThat(config.usesPostgres()).isFalse();
        assertThat(config.adminKey()).isNull();
        assertThat(config.secretKey()).isNull();
        assertThat(config.defaultModel()).isEqualTo("gpt-4o-mini");
        assertThat(config.rateLimitPerMinute()).isEqualTo(60);
        assertThat(config.userRateLimitPerMinute()).isEqualTo(60);
        assertThat(config.maxMessageChars()).isEqualTo(32000);
        assertThat(config.maxAttempts()).isEqualTo(3);
        assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.logFormat()).isEqualTo(Config.LogFormat.TEXT);
        assertThat(config.metricsPublic()).isFalse();
        assertThat(config.keepAliveInterval()).isLessThanOrEqualTo(Duration.ofSeconds(15));
        assertThat(config.cooldownAfter()).isEqualTo(3);
        assertThat(config.maxAnswerChars()).isEqualTo(400_000);
        assertThat(config.allowStdioTools()).isFalse();
    }

    @Test
    void should_allow_local_tool_programs_only_when_told_exactly() {
        assertThat(ConfigLoader.load(Map.of("CHATAI_ALLOW_STDIO_TOOLS", "true")).allowStdioTools()).isTrue();
        assertThat(ConfigLoader.load(Map.of("CHATAI_ALLOW_STDIO_TOOLS", "false")).allowStdioTools()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CHATAI_ALLOW_STDIO_TOOLS", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("CHATAI_ALLOW_STDIO_TOOLS must be true or false, got \"yes\"");
    }

    @Test
    void should_treat_an_empty_value_as_unset() {
        Config config = ConfigLoader.load(Map.of("CHATAI_PORT", "", "CHATAI_ADMIN_KEY", "", "CHATAI_DEFAULT_MODEL", ""));

        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.adminKey()).isNull();
        assertThat(config.defaultModel()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void should_read_every_setting() {
        Config config = ConfigLoader.load(Map.ofEntries(
                Map.entry("CHATAI_HOST", "0.0.0.0"),
                Map.entry("CHATAI_PORT", "8080"),
                Map.entry("CHATAI_DATA_DIR", "/var/chatai"),
                Map.entry("CHATAI_DATABASE_URL", "jdbc:postgresql://db/chatai"),
                Map.entry("CHATAI_RATE_LIMIT_PER_MINUTE", "0"),
                Map.entry("CHATAI_MAX_ATTEMPTS", "5"),
                Map.entry("CHATAI_LOG_FORMAT", "JSON"),
                Map.entry("CHATAI_METRICS_PUBLIC", "true"),
                Map.entry("CHATAI_SECRET_KEY", "0123456789abcdef"),
                Map.entry("CHATAI_COOLDOWN_AFTER", "5"),
                Map.entry("CHATAI_MAX_ANSWER_CHARS", "50000"),
                Map.entry("CHATAI_ALLOW_STDIO_TOOLS", "true")));

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.usesPostgres()).isTrue();
        assertThat(config.rateLimitPerMinute()).isZero();
        assertThat(config.maxAttempts()).isEqualTo(5);
        assertThat(config.logFormat()).isEqualTo(Config.LogFormat.JSON);
        assertThat(config.metricsPublic()).isTrue();
        assertThat(config.secretKey()).isEqualTo("0123456789abcdef");
        assertThat(config.cooldownAfter()).isEqualTo(5);
        assertThat(config.maxAnswerChars()).isEqualTo(50_000);
        assertThat(config.allowStdioTools()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CHATAI_PORT|abc|CHATAI_PORT must be an integer from 0 to 65535, got \"abc\"",
            "CHATAI_PORT|70000|CHATAI_PORT must be an integer from 0 to 65535, got \"70000\"",
            "CHATAI_RATE_LIMIT_PER_MINUTE|-1|CHATAI_RATE_LIMIT_PER_MINUTE must be an integer",
            "CHATAI_USER_RATE_LIMIT_PER_MINUTE|lots|CHATAI_USER_RATE_LIMIT_PER_MINUTE must be an integer",
            "CHATAI_MAX_MESSAGE_CHARS|0|CHATAI_MAX_MESSAGE_CHARS must be an integer",
            "CHATAI_MAX_ATTEMPTS|1.5|CHATAI_MAX_ATTEMPTS must be an integer",
            "CHATAI_MAX_BODY_BYTES|1MB|CHATAI_MAX_BODY_BYTES must be an integer",
            "CHATAI_COOLDOWN_AFTER|0|CHATAI_COOLDOWN_AFTER must be an integer from 1 to 100, got \"0\"",
            "CHATAI_COOLDOWN_AFTER|three|CHATAI_COOLDOWN_AFTER must be an integer from 1 to 100, got \"three\"",
            "CHATAI_MAX_ANSWER_CHARS|lots|CHATAI_MAX_ANSWER_CHARS must be an integer from 100 to 10000000, got \"lots\"",
            "CHATAI_MAX_ANSWER_CHARS|0|CHATAI_MAX_ANSWER_CHARS must be an integer from 100 to 10000000, got \"0\"",
            "CHATAI_TOOL_RESULT_WAIT_SECONDS|0|CHATAI_TOOL_RESULT_WAIT_SECONDS must be an integer from 1 to 3600, got \"0\"",
            "CHATAI_LOG_FORMAT|xml|CHATAI_LOG_FORMAT must be text or json, got \"xml\"",
            "CHATAI_METRICS_PUBLIC|yes|CHATAI_METRICS_PUBLIC must be true or false, got \"yes\"",
            "CHATAI_SECRET_KEY|short|CHATAI_SECRET_KEY must be at least 16 characters (it has 5)",
            "CHATAI_DATABASE_URL|mysql://x|CHATAI_DATABASE_URL must start with jdbc:sqlite: or jdbc:postgresql:",
            "CHATAI_LOCAL_MODEL|/no/such/model.gguf|CHATAI_LOCAL_MODEL names \"/no/such/model.gguf\", which is not a readable file"})
    void should_refuse_a_bad_value_naming_the_variable(String variable, String value, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void should_not_echo_database_credentials_in_errors() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("CHATAI_DATABASE_URL", "mysql://admin:hunter2@db/x")))
                .hasMessageNotContaining("hunter2");
    }
}
