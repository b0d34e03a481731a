package io.chatai.store;

/** The SQL databases the server runs on; migrations live in a folder per dialect. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** Flyway location of this dialect's migrations. */
    public String migrations() {
        return "classpath:db/migration/" + folder;
    }
}
