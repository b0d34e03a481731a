package io.chatai.config;

/** A setting that cannot be used; its message names the variable and says what a good value looks like. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
