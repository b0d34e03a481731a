package harness;

/** The processes the harness runs: the fake upstream and the three proxies in front of it; the name is also their log file's. */
public enum Peer {
    FAKE("fake"), NGINX("nginx"), PORTKEY("portkey"), CHATAI("chatai");

    private final String id;

    Peer(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether its code is compiled at run time (JVM, V8), so it needs the long global warm-up. */
    public boolean jitCompiled() {
        return switch (this) {
            case PORTKEY, CHATAI -> true;
            case FAKE, NGINX -> false;
        };
    }
}
