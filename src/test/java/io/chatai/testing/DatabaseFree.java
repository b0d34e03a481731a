package io.chatai.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that reaches no database (no server, no repository), so the PostgreSQL pass of
 * failsafe skips it (pom.xml, {@code excludedGroups}) instead of running it a second time for nothing.
 * {@code DatabaseFreeTest} fails the build if a class marked so reaches a server or a database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(DatabaseFree.TAG)
public @interface DatabaseFree {
    String TAG = "database-free";
}
