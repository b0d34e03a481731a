package driver;

/** How one request ended: a complete 2xx answer, a non-2xx status, a wrong body, a broken connection or no connection. */
enum Outcome {
    OK, STATUS, BODY, IO, CONNECT;

    /**
     * Judges a finished response: ok only if 2xx and its body holds exactly the expected number of content
     * tokens (0 skips the count) and no ChatAI error event.
     */
    static Outcome of(ResponseParser p, int expectTokens) {
        if (p.status < 200 || p.status > 299) {
            return STATUS;
        }
        if ((expectTokens > 0 && p.scan.tokens != expectTokens) || p.scan.errorEvent) {
            return BODY;
        }
        return OK;
    }
}
