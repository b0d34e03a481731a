package io.chatai.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link Config} from environment variables and refuses bad values with a message naming the
 * variable, so a mistyped setting stops the server at start instead of surprising it later. Stateless.
 */
public final class ConfigLoader {
    private final Map<String, String> env;

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** Loads the configuration; an empty value counts as unset, as the contract says. */
    public static Config load(Map<String, String> env) {
        return new ConfigLoader(env).load();
    }

    private Config load() {
        Path dataDir = Path.of(text("CHATAI_DATA_DIR", "./data"));
        String databaseUrl = text("CHATAI_DATABASE_URL", null);
        if (databaseUrl == null) {
            databaseUrl = "jdbc:sqlite:" + dataDir.resolve("chatai.db");
        } else if (!databaseUrl.startsWith("jdbc:sqlite:") && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("CHATAI_DATABASE_URL must start with jdbc:sqlite: or jdbc:postgresql:, got \""
                    + databaseUrl.replaceAll("//[^@/]*@", "//***@") + "\"");
        }
        String secretKey = text("CHATAI_SECRET_KEY", null);
        if (secretKey != null && secretKey.codePointCount(0, secretKey.length()) < 16) {
            throw new ConfigException("CHATAI_SECRET_KEY must be at least 16 characters (it has "
                    + secretKey.codePointCount(0, secretKey.length()) + "); use a long random string");
        }
        Path localModel = optionalPath("CHATAI_LOCAL_MODEL");
        if (localModel != null && !Files.isRegularFile(localModel)) {
            throw new ConfigException("CHATAI_LOCAL_MODEL names \"" + localModel + "\", which is not a readable file");
        }
        return new Config(
                text("CHATAI_HOST", "127.0.0.1"),
                integer("CHATAI_PORT", 3000, 0, 65535),
                dataDir,
                databaseUrl,
                text("CHATAI_DATABASE_USER", null),
                text("CHATAI_DATABASE_PASSWORD", null),
                text("CHATAI_ADMIN_KEY", null),
                secretKey,
                text("CHATAI_DEFAULT_MODEL", "gpt-4o-mini"),
                integer("CHATAI_RATE_LIMIT_PER_MINUTE", 60, 0, 1_000_000),
                integer("CHATAI_USER_RATE_LIMIT_PER_MINUTE", 60, 0, 1_000_000),
                integer("CHATAI_MAX_MESSAGE_CHARS", 32_000, 1, 10_000_000),
                integer("CHATAI_MAX_ATTEMPTS", 3, 1, 20),
                integer("CHATAI_MAX_BODY_BYTES", 1 << 20, 1024, Integer.MAX_VALUE),
                localModel,
                text("CHATAI_LOCAL_MODEL_NAME", null),
                logFormat(),
                bool("CHATAI_METRICS_PUBLIC", false),
                optionalPath("CHATAI_CONFIG"),
                Duration.ofSeconds(integer("CHATAI_TURN_WAIT_SECONDS", 120, 1, 3600)),
                Duration.ofSeconds(integer("CHATAI_KEEPALIVE_SECONDS", 10, 1, 15)),
                Duration.ofSeconds(integer("CHATAI_REQUEST_READ_TIMEOUT_SECONDS", 20, 1, 600)),
                corsOrigins(),
                Duration.ofSeconds(integer("CHATAI_LEASE_SECONDS", 15, 2, 600)),
                Duration.ofSeconds(integer("CHATAI_SHUTDOWN_GRACE_SECONDS", 30, 0, 3600)),
                integer("CHATAI_COOLDOWN_AFTER", 3, 1, 100),
                // An answer is held in memory while it streams (two bytes a character at most), so the bound
                // is what one runaway upstream may cost: 400,000 characters, far above any real answer.
                integer("CHATAI_MAX_ANSWER_CHARS", 400_000, 100, 10_000_000),
                integer("CHATAI_RETENTION_DAYS", 0, 0, 36_500),
                bool("CHATAI_ALLOW_STDIO_TOOLS", false),
                integer("CHATAI_MAX_IMAGES", 4, 0, 32),
                integer("CHATAI_MAX_IMAGE_BYTES", 10 << 20, 1024, 50 << 20),
                bool("CHATAI_IMAGE_FETCH_ALLOW_PRIVATE", false),
                Duration.ofSeconds(integer("CHATAI_TOOL_RESULT_WAIT_SECONDS", 120, 1, 3600)));
    }

    private String text(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private int integer(String name, int fallback, int min, int max) {
        String value = text(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the accepted range
        }
        throw new ConfigException(name + " must be an integer from " + min + " to " + max + ", got \"" + value + "\"");
    }

    private boolean bool(String name, boolean fallback) {
        String value = text(name, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(name + " must be true or false, got \"" + value + "\"");
        };
    }

    private Path optionalPath(String name) {
        String value = text(name, null);
        return value == null ? null : Path.of(value);
    }

    private java.util.List<String> corsOrigins() {
        String value = text("CHATAI_CORS_ORIGINS", null);
        if (value == null) {
            return java.util.List.of();
        }
        java.util.List<String> origins = java.util.Arrays.stream(value.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?")) {
                throw new ConfigException("CHATAI_CORS_ORIGINS must be a comma-separated list of origins like https://panel.example.com (or *), got \"" + origin + "\"");
            }
        }
        return origins;
    }

    private Config.LogFormat logFormat() {
        String value = text("CHATAI_LOG_FORMAT", "text");
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> Config.LogFormat.TEXT;
            case "json" -> Config.LogFormat.JSON;
            default -> throw new ConfigException("CHATAI_LOG_FORMAT must be text or json, got \"" + value + "\"");
        };
    }
}
