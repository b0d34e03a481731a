package io.chatai.tool;

/** A tool server could not be used; the message is one line for its status, secrets already masked. */
final class ToolServerException extends RuntimeException {
    ToolServerException(String message) {
        super(message, null, false, false); // an expected outcome: a server that is down is not a bug here
    }
}
