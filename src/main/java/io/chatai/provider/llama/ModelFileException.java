package io.chatai.provider.llama;

/**
 * A model file that cannot be served: missing, unreadable, not GGUF, damaged, or refused by llama.cpp.
 * Its message names the file and says what is wrong, and is safe to show an operator.
 */
public final class ModelFileException extends RuntimeException {
    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
