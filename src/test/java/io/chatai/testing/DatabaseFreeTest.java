package io.chatai.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps {@link DatabaseFree} honest: a test the PostgreSQL pass skips must not reach a server or a database. */
class DatabaseFreeTest {
    private static final JavaClasses ALL = new ClassFileImporter().importPaths(Path.of("target", "classes"), Path.of("target", "test-classes"));

    @Test
    void should_let_no_database_free_test_reach_a_server_or_a_database() {
        noClasses().that().areAnnotatedWith(DatabaseFree.class)
                .should().transitivelyDependOnClassesThat()
                .belongToAnyOf(TestServer.class, TestServerExtension.class, TestDatabases.class, ServerProcess.class)
                .orShould().transitivelyDependOnClassesThat().resideInAnyPackage("io.chatai.store..", "java.sql..", "javax.sql..")
                .check(ALL);
    }
}
