package io.chatai.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of one server instance, validated once at start by {@link ConfigLoader}. Immutable.
 *
 * @param databaseUrl        JDBC URL; SQLite in the data dir unless {@code CHATAI_DATABASE_URL} names another
 * @param adminKey           the admin key from the environment, or null to use (or create) {@code <dataDir>/admin.key}
 * @param secretKey          passphrase for encrypting channel keys at rest, or null to store them plainly
 * @param turnWait           how long a turn waits for its busy conversation before 409 {@code CONVERSATION_BUSY}
 * @param keepAliveInterval  how often an idle SSE stream gets a {@code : keep-alive} comment
 * @param requestReadTimeout how long a client may take to send a request's headers and body
 * @param corsOrigins        origins allowed to call the API from a browser; empty means CORS is off
 * @param lease              on PostgreSQL, how long a turn's hold on its conversation lasts unless renewed
 * @param shutdownGrace      how long a stopping server lets running requests finish
 * @param cooldownAfter      how many failures in a row cool a channel down (a 429 cools it at once)
 * @param maxAnswerChars     the longest answer text one upstream call may produce before it is stopped
 * @param retentionDays      conversations not updated for this many days are deleted; 0 keeps them for ever
 * @param allowStdioTools    whether tool servers may be local commands (stdio), which run programs on this host
 * @param maxImages          images one chat message may carry
 * @param maxImageBytes      the largest image accepted, decoded (a fetch stops reading past it)
 * @param toolResultWait     how long a turn paused on the bot's own tools waits for their results before it is abandoned
 * @param imageFetchAllowPrivate whether image URLs may resolve to loopback, private or link-local addresses
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String adminKey,
        String secretKey,
        String defaultModel,
        int rateLimitPerMinute,
        int userRateLimitPerMinute,
        int maxMessageChars,
        int maxAttempts,
        long maxBodyBytes,
        Path localModel,
        String localModelName,
        LogFormat logFormat,
        boolean metricsPublic,
        Path configFile,
        Duration turnWait,
        Duration keepAliveInterval,
        Duration requestReadTimeout,
        java.util.List<String> corsOrigins,
        Duration lease,
        Duration shutdownGrace,
        int cooldownAfter,
        int maxAnswerChars,
        int retentionDays,
        boolean allowStdioTools,
        int maxImages,
        int maxImageBytes,
        boolean imageFetchAllowPrivate,
        Duration toolResultWait) {

    /** How log lines are written. */
    public enum LogFormat { TEXT, JSON }

    /**
     * The largest request body: the configured limit, grown on the chat routes by what their images may
     * take as base64 (4 characters for every 3 bytes) so that the image limits, not the body limit, apply.
     */
    public long maxChatBodyBytes() {
        return maxBodyBytes + (long) maxImages * ((maxImageBytes + 2L) / 3 * 4 + 256);
    }

    public boolean usesPostgres() {
        return databaseUrl.startsWith("jdbc:postgresql:");
    }
}
