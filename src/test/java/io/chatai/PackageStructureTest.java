package io.chatai;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md: a small core at the bottom, HTTP and storage support above
 * it, the features in the middle, the server on top, and no cycle between any two packages.
 */
class PackageStructureTest {
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chatai");

    private static final String[] FEATURES = {"io.chatai.auth..", "io.chatai.preset..", "io.chatai.provider..",
            "io.chatai.channel..", "io.chatai.conversation..", "io.chatai.chat..", "io.chatai.gateway..",
            "io.chatai.usage..", "io.chatai.ratelimit..", "io.chatai.observe..", "io.chatai.embedding..", "io.chatai.tool..",
            "io.chatai.budget..", "io.chatai.image.."};

    @Test
    void should_have_no_cycle_between_packages() {
        slices().matching("io.chatai.(**)").should().beFreeOfCycles().check(PRODUCT);
    }

    @Test
    void should_keep_core_at_the_bottom_and_the_server_on_top() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Core").definedBy("io.chatai.core..")
                .layer("Support").definedBy("io.chatai.web..", "io.chatai.store..", "io.chatai.config..", "io.chatai.tokens..")
                .layer("Features").definedBy(FEATURES)
                .layer("Server").definedBy("io.chatai.server..")
                .whereLayer("Server").mayNotBeAccessedByAnyLayer()
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Features", "Server")
                .whereLayer("Support").mayOnlyBeAccessedByLayers("Support", "Features", "Server")
                .check(PRODUCT);
    }

    @Test
    void should_keep_the_core_free_of_http_and_sql() {
        noClasses().that().resideInAPackage("io.chatai.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "java.sql..", "javax.sql..", "org.jdbi..")
                .check(PRODUCT);
    }

    @Test
    void should_let_provider_adapters_know_nothing_of_routing_storage_or_http_routes() {
        noClasses().that().resideInAPackage("io.chatai.provider..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chatai.channel..", "io.chatai.chat..",
                        "io.chatai.conversation..", "io.chatai.gateway..", "io.chatai.usage..", "io.chatai.store..",
                        "io.chatai.web..", "io.chatai.auth..", "io.chatai.server..", "java.sql..")
                .check(PRODUCT);
    }

    @Test
    void should_let_generic_channel_code_leave_each_type_to_its_provider() {
        noClasses().that().resideInAPackage("io.chatai.channel..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chatai.provider.openai..", "io.chatai.provider.anthropic..",
                        "io.chatai.provider.gemini..", "io.chatai.provider.llama..")
                .because("each provider owns its channel type's rules (ChannelRules), so channel code never names a type")
                .check(PRODUCT);
    }

    @Test
    void should_let_only_route_classes_and_the_server_touch_helidon_server_types() {
        noClasses().that().resideOutsideOfPackages("io.chatai.web..", "io.chatai.server..")
                .and().haveSimpleNameNotEndingWith("Routes")
                .and().haveSimpleNameNotEndingWith("Filter")
                .and().haveSimpleNameNotEndingWith("Log")
                .should().dependOnClassesThat().resideInAPackage("io.helidon.webserver..")
                .check(PRODUCT);
    }
}
