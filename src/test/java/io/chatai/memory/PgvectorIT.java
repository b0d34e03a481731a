package io.chatai.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chatai.config.ConfigLoader;
import io.chatai.core.Background;
import io.chatai.store.Database;
import io.chatai.testing.SystemPostgres;
import io.chatai.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Ranking inside PostgreSQL with pgvector gives what the blob path gives (ids, order, ties, scores, search
 * pages and totals), memories stored before pgvector was enabled are found after it, and memories written
 * with it are found. Runs on the machine's PostgreSQL 15 with pgvector installed; skipped with a warning
 * naming what is missing elsewhere.
 */
class PgvectorIT {
    private static final String MODEL = "test-model";
    private static final int DIMENSIONS = 384;
    private static SystemPostgres postgres;
    private static Background background;
    private static Database database;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> missing = SystemPostgres.missing();
        if (missing.isPresent()) {
            LoggerFactory.getLogger(PgvectorIT.class).warn("PgvectorIT skipped: no {}", missing.get());
        }
        Assumptions.assumeTrue(missing.isEmpty(), () -> "missing " + missing.get());
        postgres = SystemPostgres.start();
        background = new Background();
        database = Database.open(ConfigLoader.load(postgres.environment(TestServer.newDataDir())), null, background);
    }

    @AfterAll
    static void stop() throws Exception {
        if (database != null) {
            database.close();
            background.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static float[] randomVector(Random random) {
        float[] vector = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static void store(MemoryRepository memories, String id, MemoryScope scope, float[] vector, long at) {
        memories.insert(new Memory(id, scope.userId(), scope.groupId(), "fact " + id, at, at, Memory.MANUAL, null),
                "fact " + id, vector, MODEL);
    }

    @Test
    void should_rank_inside_postgresql_as_the_blob_path_does_and_find_what_is_written() {
        Random random = new Random(7);
        MemoryScope alice = new MemoryScope("alice", null);
        MemoryScope aliceInGroup = new MemoryScope("alice", "g1");
        MemoryScope group = new MemoryScope(null, "g1");
        // Stored before pgvector is enabled: the blob path has not made the vector column.
        MemoryRepository before = new MemoryRepository(database, false);
        assertThat(before.ranker()).isEqualTo("blob");
        List<float[]> stored = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            MemoryScope scope = i % 3 == 0 ? alice : i % 3 == 1 ? aliceInGroup : group;
            float[] vector = randomVector(random);
            stored.add(vector);
            store(before, "mem_" + i, scope, vector, i);
        }
        float[] tie = randomVector(random);
        store(before, "mem_tie_b", alice, tie, 1_000); // the same vector: the smaller id ranks first ('B' < 'b')
        store(before, "mem_tie_B", alice, tie, 1_001);

        MemoryRepository pgvector = new MemoryRepository(database);
        assertThat(pgvector.ranker()).isEqualTo("pgvector");
        float[] added = randomVector(random);
        store(pgvector, "mem_added", alice, added, 2_000);
        float[] edited = randomVector(random);
        assertThat(pgvector.update("mem_3", "fact edited", "fact edited", edited, MODEL, null, 2_001)).isTrue();

        assertThat(pgvector.closest(alice, MODEL, () -> added, 1)).extracting(MemoryRecall.Scored::id).containsExactly("mem_added");
        assertThat(pgvector.closest(alice, MODEL, () -> edited, 1).getFirst().score()).isCloseTo(1.0, within(1e-5));
        assertThat(pgvector.closest(alice, MODEL, () -> stored.get(3), 1)).extracting(MemoryRecall.Scored::id)
                .doesNotContain("mem_3");
        assertThat(pgvector.closest(alice, MODEL, () -> tie, 2)).extracting(MemoryRecall.Scored::id)
                .containsExactly("mem_tie_B", "mem_tie_b");
        assertThat(pgvector.closest(alice, MODEL, () -> stored.get(1), 1)).extracting(MemoryRecall.Scored::id)
                .as("another scope's memory (alice in g1) is not alice's own").doesNotContain("mem_1");

        MemoryRepository blobs = new MemoryRepository(database, false); // a fresh cache: it reads every write above
        List<float[]> queries = new ArrayList<>(List.of(tie, added, edited, stored.get(0), stored.get(2)));
        for (int i = 0; i < 20; i++) {
            queries.add(randomVector(random));
        }
        for (float[] query : queries) {
            for (MemoryScope scope : List.of(alice, aliceInGroup, group, new MemoryScope("nobody", null))) {
                sameRanking(pgvector.closest(scope, MODEL, () -> query, MemoryRecall.MAX_RECALLED),
                        blobs.closest(scope, MODEL, () -> query, MemoryRecall.MAX_RECALLED));
            }
            for (String[] filter : new String[][] {{"alice", null}, {null, "g1"}, {null, null}, {"", "g1"}}) {
                for (int offset : new int[] {0, 7}) {
                    MemoryRecall.SearchPage inDatabase = pgvector.search(filter[0], filter[1], MODEL, query, 10, offset);
                    MemoryRecall.SearchPage inServer = blobs.search(filter[0], filter[1], MODEL, query, 10, offset);
                    assertThat(inDatabase.total()).isEqualTo(inServer.total()).isPositive();
                    sameRanking(inDatabase.page(), inServer.page());
                }
            }
        }
        assertThat(pgvector.closest(new MemoryScope("nobody", null), MODEL, () -> {
            throw new AssertionError("an empty scope must not embed the query");
        }, 5)).isEmpty();
        for (String text : List.of("fact mem_0", "fact edited", "fact mem_1", "fact absent")) {
            assertThat(pgvector.sameText(alice, MODEL, text)).isEqualTo(blobs.sameText(alice, MODEL, text));
        }
        assertThat(pgvector.sameText(alice, MODEL, "fact edited")).contains("mem_3");
        assertThat(pgvector.closest(alice, "another-model", () -> added, 5)).isEmpty();
    }

    private static void sameRanking(List<MemoryRecall.Scored> inDatabase, List<MemoryRecall.Scored> inServer) {
        assertThat(inDatabase).extracting(MemoryRecall.Scored::id)
                .containsExactlyElementsOf(inServer.stream().map(MemoryRecall.Scored::id).toList());
        for (int i = 0; i < inDatabase.size(); i++) {
            assertThat(inDatabase.get(i).score()).isCloseTo(inServer.get(i).score(), within(1e-5));
        }
    }
}
