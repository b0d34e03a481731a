package io.chatai.auth;

import java.util.Optional;

/** Maps a presented bearer key to a {@link Caller}. Thread-safe. */
public final class Authenticator {
    private final String adminKey;

    public Authenticator(String adminKey) {
        this.adminKey = adminKey;
    }

    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        if (Secrets.sameSecret(presentedKey, adminKey)) {
            return Optional.of(Caller.administrator());
        }
        return Optional.empty();
    }
}
