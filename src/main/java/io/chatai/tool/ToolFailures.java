package io.chatai.tool;

import io.chatai.core.Secrets;
import io.modelcontextprotocol.spec.McpError;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Collection;
import java.util.concurrent.TimeoutException;

/**
 * Turns what went wrong with a tool server into one short line an admin (in the server's status) or a model (in an
 * error result) can read: the most telling cause, never a stack trace, at most {@link #MAX_CHARS} characters, with
 * the server's own secrets (header and environment values) masked should the server echo them. Stateless.
 */
final class ToolFailures {
    static final int MAX_CHARS = 300;

    private ToolFailures() {
    }

    /** The JSON-RPC error a server answered with, if that is what {@code failure} is. */
    static McpError serverError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof McpError error) {
                return error;
            }
        }
        return null;
    }

    static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException))) {
                return true;
            }
        }
        return false;
    }

    /** One line for the failure, secrets masked. */
    static String describe(Throwable failure, Collection<String> secrets) {
        return scrub(text(failure), secrets);
    }

    static String scrub(String text, Collection<String> secrets) {
        String scrubbed = text;
        for (String secret : secrets) {
            if (secret.length() >= 4) {
                scrubbed = scrubbed.replace(secret, Secrets.mask(secret));
            }
        }
        return cut(scrubbed);
    }

    static String cut(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_CHARS ? oneLine : oneLine.substring(0, MAX_CHARS - 1) + "…";
    }

    private static String text(Throwable failure) {
        McpError error = serverError(failure);
        if (error != null) {
            return "the server answered with an error: " + (error.getJsonRpcError() != null
                    ? error.getJsonRpcError().message() : String.valueOf(error.getMessage()));
        }
        Throwable deepest = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case HttpConnectTimeoutException ignored -> {
                    return "connecting timed out";
                }
                case ConnectException ignored -> {
                    return "connection refused";
                }
                case UnknownHostException unknown -> {
                    return "unknown host " + unknown.getMessage();
                }
                case UnresolvedAddressException ignored -> {
                    return "unknown host";
                }
                case TimeoutException ignored -> {
                    return "no answer in time";
                }
                case EOFException ignored -> {
                    return "the server closed the connection";
                }
                default -> {
                    if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                        deepest = cause;
                    }
                }
            }
        }
        String message = deepest.getMessage();
        return message == null || message.isBlank() ? deepest.getClass().getSimpleName() : message;
    }
}
