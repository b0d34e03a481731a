package io.chatai.store;

import io.chatai.core.Background;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's single writer, with group commit. One platform thread owns the write connection; writers
 * hand it their work and wait. Work that arrives while a transaction runs is committed together in the
 * next one, each piece in its own savepoint, so one failing piece rolls back alone and everyone else's
 * commit still stands; a waiter returns only after its work is committed. Why: with a pool of one,
 * waiting requests are woken one by one on busy cores and the connection sat idle between them (the
 * profile showed 13 ms average waits for an 80 µs write); now the writer never waits to be scheduled,
 * and one commit serves many turns. The thread is started by {@link #start} through the server's
 * {@link Background}, so a failure that escapes one group commit is logged and the next one runs.
 * When the writer is idle and nothing is queued, a writer runs its own work at once on its own thread
 * (still alone on the connection, in its own transaction): at one request at a time the hand-off to the
 * writer's thread and back cost two thread wake-ups per turn, each a scheduling delay on a busy machine.
 * Work that must wait for the database ({@link #alone}, the log restart) always goes to the writer's
 * thread, so a virtual thread never waits on SQLite's busy handler.
 *
 * <p>Transactions are begun and ended with SQLite's own statements, prepared once; the driver's
 * transaction calls are bypassed, because each cost a {@code BEGIN}/{@code COMMIT} pair of its own (its
 * {@code commit()} begins the next transaction at once). Pieces run without savepoints: a savepoint makes
 * SQLite copy every page a piece changes into a journal, which spilled to a temporary file once past 64 KB
 * (the profile's largest share of system calls after the log's own writes). When a piece of a group
 * fails, the group is rolled back and run again with a savepoint per piece, so the work must be safe to
 * run twice: it may only touch the database and its own locals. Thread-safe.
 */
final class SqliteWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
    private static final int MAX_BATCH = 128;

    private record Task<R>(Database.SqlWork<R> work, boolean exclusive, CompletableFuture<R> result) { }

    private final Connection connection;
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final List<Task<?>> batch = new ArrayList<>(MAX_BATCH); // only the writer's thread touches it
    /** Held while a transaction runs on the connection, by the writer's thread or by a caller running inline. */
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean closed;
    private Background.Loop loop;

    /**
     * Takes the connection over: from now on the driver believes a transaction is always open (so it never
     * wraps a statement in one of its own), while SQLite has none between two group commits.
     */
    SqliteWriter(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false); // the driver begins a (deferred, lock-free) transaction here...
        begin = connection.prepareStatement("BEGIN IMMEDIATE");
        commit = connection.prepareStatement("COMMIT");
        rollback = connection.prepareStatement("ROLLBACK");
        rollback.execute(); // ...which this ends: between group commits SQLite holds no transaction and no lock
    }

    /** Starts the writer's thread; until then work only queues. */
    void start(Background background) {
        loop = background.loop("sqlite-writer", Duration.ofMillis(100), this::commitNext);
    }

    /** Runs the work in a transaction, possibly shared with other work (each in its own savepoint). */
    <R> R inTransaction(Database.SqlWork<R> work) {
        Task<R> task = new Task<>(work, false, new CompletableFuture<>());
        if (!closed && loop != null && queue.isEmpty() && running.tryLock()) {
            try {
                if (queue.isEmpty()) { // checked again under the lock: never overtake queued work
                    runBatch(List.of(task));
                    return result(task);
                }
            } finally {
                running.unlock();
            }
        }
        return submit(task);
    }

    /** How much work waits for the writer's thread (for tests). */
    int queued() {
        return queue.size();
    }

    /** Runs the work alone, outside any transaction (each statement its own), for work that manages its own. */
    <R> R alone(Database.SqlWork<R> work) {
        return submit(new Task<>(work, true, new CompletableFuture<>()));
    }

    private <R> R submit(Task<R> task) {
        if (closed) {
            throw new IllegalStateException("The database is closed");
        }
        queue.add(task);
        return result(task);
    }

    private static <R> R result(Task<R> task) {
        try {
            return task.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof SQLException sql) {
                throw new Database.StoreException(sql);
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits for work and commits it with whatever else queued meanwhile. */
    private void commitNext() throws InterruptedException {
        Task<?> first = queue.take();
        running.lock();
        try {
            if (first.exclusive()) {
                runAlone(first);
                return;
            }
            batch.add(first);
            // Only this thread takes from the queue, so peek-then-poll cannot race.
            while (batch.size() < MAX_BATCH && queue.peek() != null && !queue.peek().exclusive()) {
                batch.add(queue.poll());
            }
            runBatch(batch);
        } finally {
            batch.clear();
            running.unlock();
        }
    }

    private <R> void runAlone(Task<R> task) {
        try {
            task.result().complete(task.work().run(connection));
        } catch (Throwable t) {
            task.result().completeExceptionally(t);
        }
    }

    private void runBatch(List<Task<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            begin();
            if (runUntilOneFails(batch, results, failures)) {
                commit.execute();
            } else {
                rollBack();
                // Alone, the failing piece was the whole transaction; in a group the others must still commit,
                // and only a savepoint per piece can undo the failing one without them.
                if (batch.size() > 1) {
                    begin();
                    runEachInSavepoint(batch, results, failures);
                    commit.execute();
                }
            }
        } catch (Throwable e) { // an Error too: every waiter must hear of it, or it waits forever
            LOG.error("A group commit of {} writes failed; none of them is stored", batch.size(), e);
            rollbackQuietly();
            batch.forEach(task -> task.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], failures[i]);
        }
    }

    /** Runs the pieces in order and stops at the first that fails; true when none did. */
    private boolean runUntilOneFails(List<Task<?>> batch, Object[] results, Throwable[] failures) {
        for (int i = 0; i < batch.size(); i++) {
            try {
                results[i] = batch.get(i).work().run(connection);
            } catch (Throwable t) {
                failures[i] = t;
                return false;
            }
        }
        return true;
    }

    private void runEachInSavepoint(List<Task<?>> batch, Object[] results, Throwable[] failures) throws SQLException {
        for (int i = 0; i < batch.size(); i++) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                results[i] = batch.get(i).work().run(connection);
                failures[i] = null;
                connection.releaseSavepoint(savepoint);
            } catch (Throwable t) {
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
                results[i] = null;
                failures[i] = t;
            }
        }
    }

    /**
     * Begins a write transaction, waiting for the write lock (busy_timeout). One left open by a failure
     * whose rollback failed too is rolled back first, never committed: its pieces were told they failed.
     */
    private void begin() throws SQLException {
        try {
            begin.execute();
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("within a transaction")) {
                throw e;
            }
            rollback.execute();
            begin.execute();
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> void complete(Task<R> task, Object result, Throwable failure) {
        if (failure == null) {
            task.result().complete((R) result);
        } else {
            task.result().completeExceptionally(failure);
        }
    }

    /** Rolls the transaction back; SQLite may have done so itself already (after an I/O error, say). */
    private void rollBack() throws SQLException {
        try {
            rollback.execute();
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                throw e;
            }
        }
    }

    private void rollbackQuietly() {
        try {
            rollBack();
        } catch (SQLException e) {
            LOG.error("Rollback of a failed group commit failed too", e);
        }
    }

    /** Finishes the queued work, then stops; the connection is the caller's to close. */
    @Override
    public void close() {
        closed = true;
        if (loop != null) {
            // Work runs in order, so once this no-op is done everything queued before it is too.
            CompletableFuture<Object> drained = new CompletableFuture<>();
            queue.add(new Task<>(c -> null, true, drained));
            try {
                drained.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("The SQLite writer did not finish its queue within 10 s", e);
            }
            loop.stop();
        }
        // Work that raced the close never runs: its callers hear so instead of waiting forever.
        for (Task<?> task; (task = queue.poll()) != null; ) {
            task.result().completeExceptionally(new IllegalStateException("The database is closed"));
        }
        giveBackConnection();
    }

    /** Leaves the connection as it was lent: auto-commit on, in step with SQLite (the driver's switch commits). */
    private void giveBackConnection() {
        running.lock();
        try {
            begin();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("Could not give the write connection back in auto-commit mode: {}", e.getMessage());
        } finally {
            running.unlock();
        }
    }
}
