package driver;

import java.util.Map;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of ok answers, errors by kind (non-2xx statuses by code) and stalls; thread-safe. */
final class Outcomes {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong connect = new AtomicLong();
    final AtomicLong io = new AtomicLong();
    final AtomicLong body = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    void status(int code) {
        statuses.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    }

    /** Counts one request's outcome ({@code status} matters only for {@link Outcome#STATUS}). */
    void count(Outcome outcome, int status) {
        switch (outcome) {
            case OK -> ok.incrementAndGet();
            case STATUS -> status(status);
            case BODY -> body.incrementAndGet();
            case IO -> io.incrementAndGet();
            case CONNECT -> connect.incrementAndGet();
        }
    }

    /** Adds another set of counters into this one. */
    void addAll(Outcomes o) {
        ok.addAndGet(o.ok.get());
        io.addAndGet(o.io.get());
        connect.addAndGet(o.connect.get());
        body.addAndGet(o.body.get());
        stalls.addAndGet(o.stalls.get());
        o.statuses.forEach((k, v) -> statuses.computeIfAbsent(k, x -> new AtomicLong()).addAndGet(v.get()));
    }

    long errors() {
        return connect.get() + io.get() + body.get() + statuses.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connect", connect.get());
        m.put("io", io.get());
        m.put("body", body.get());
        Map<String, Object> s = new TreeMap<>();
        statuses.forEach((k, v) -> s.put(String.valueOf(k), v.get()));
        m.put("status", s);
        m.put("total", errors());
        return m;
    }
}
