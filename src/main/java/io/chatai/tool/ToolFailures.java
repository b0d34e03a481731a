package io.chatai.tool;

import io.chatai.core.FailureText;
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
 * error result) can read: the most telling cause in words, never a stack trace or a Java class name, at most
 * {@link #MAX_CHARS} characters, with the server's own secrets (header and environment values) redacted should the
 * server echo them. Stateless.
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

    /** One line for the failure, secrets redacted. */
    static String describe(Throwable failure, Collection<String> secrets) {
        return clean(text(failure), secrets);
    }

    /**
     * Text a tool server (or its program) produced, made fit to show: its secrets redacted ({@link Secrets#redact},
     * which keeps no character of one), then cut to one short line. In the other order a cut through a secret would
     * leave a piece that no longer matches it whole.
     */
    static String clean(String text, Collection<String> secrets) {
        return cut(Secrets.redact(text, secrets));
    }

    static String cut(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        if (oneLine.length() <= MAX_CHARS) {
            return oneLine;
        }
        int end = MAX_CHARS - 1;
        // never half a surrogate pair: the cut text must stay valid UTF-16
        return oneLine.substring(0, Character.isHighSurrogate(oneLine.charAt(end - 1)) ? end - 1 : end) + "…";
    }

    private static String text(Throwable failure) {
        McpError error = serverError(failure);
        if (error != null) {
            return "the server answered with an error: " + (error.getJsonRpcError() != null
                    ? error.getJsonRpcError().message() : String.valueOf(error.getMessage()));
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case HttpConnectTimeoutException ignored -> {
                    return "connecting timed out";
                }
                case ConnectException ignored -> {
                    return "connection refused";
                }
                case UnknownHostException unknown -> {
                    return unknown.getMessage() == null ? "unknown host" : "unknown host " + unknown.getMessage();
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
                    // look further down: a deeper cause may say more
                }
            }
        }
        String message = FailureText.deepestMessage(failure);
        return message == null || message.isBlank() ? "an unexpected failure" : message;
    }
}
