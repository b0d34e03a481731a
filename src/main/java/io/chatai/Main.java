package io.chatai;

import io.chatai.auth.AdminKey;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Authenticator;
import io.chatai.channel.Channel;
import io.chatai.channel.ChannelCatalog;
import io.chatai.channel.ChannelForm;
import io.chatai.channel.ChannelHealth;
import io.chatai.channel.ChannelRepository;
import io.chatai.channel.ChannelRouter;
import io.chatai.channel.ChannelRoutes;
import io.chatai.channel.ChannelTester;
import io.chatai.channel.LocalModelChannel;
import io.chatai.channel.SecretBox;
import io.chatai.chat.ChatRoutes;
import io.chatai.chat.TurnService;
import io.chatai.config.Config;
import io.chatai.config.ConfigException;
import io.chatai.config.ConfigLoader;
import io.chatai.config.DeclaredResources;
import io.chatai.conversation.ConversationGate;
import io.chatai.conversation.ConversationRepository;
import io.chatai.conversation.ConversationRoutes;
import io.chatai.conversation.LocalConversationGate;
import io.chatai.conversation.LocalConversationResolver;
import io.chatai.preset.Preset;
import io.chatai.preset.PresetForm;
import io.chatai.preset.PresetRepository;
import io.chatai.preset.PresetRoutes;
import io.chatai.provider.Providers;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.local.LocalModels;
import io.chatai.provider.local.LocalProvider;
import io.chatai.provider.local.ModelFileException;
import io.chatai.provider.openai.OpenAiProvider;
import io.chatai.store.Database;
import io.chatai.tokens.TokenCounter;
import io.chatai.web.HealthRoutes;
import io.chatai.web.HttpServer;
import io.chatai.web.JsonBody;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts ChatAI Server: configuration, then the database, repositories, provider adapters, services and
 * routes, each handed to the next by constructor. Nothing is global; tests call {@link #start} with
 * their own configuration and clock and get the real server.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** How many turns may queue behind one busy conversation before 409 comes at once. */
    private static final int MAX_WAITERS_PER_CONVERSATION = 64;

    private Main() {
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Config config;
        try {
            config = ConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println("ChatAI Server cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChatAiServer server;
        try {
            server = start(config, Clock.systemDefaultZone());
        } catch (ConfigException e) {
            System.err.println("ChatAI Server cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        LOG.info("ChatAI Server listening on http://{}:{} (database: {})", config.host(), server.port(),
                config.usesPostgres() ? "PostgreSQL" : config.databaseUrl());
    }

    /** Builds and starts everything; the caller owns the returned server. */
    public static ChatAiServer start(Config config, Clock clock) {
        DeclaredResources declared = config.configFile() == null ? DeclaredResources.none() : DeclaredResources.read(config.configFile());
        Database database = Database.open(config);
        AtomicReference<ChannelCatalog> catalogRef = new AtomicReference<>();
        LocalModels localModels = new LocalModels(() -> localKeys(catalogRef.get()));
        try {
            String adminKey = AdminKey.resolve(config.adminKey(), config.dataDir());
            PresetRepository presets = new PresetRepository(database);
            ConversationRepository conversations = new ConversationRepository(database);
            ChannelRepository channels = new ChannelRepository(database, new SecretBox(config.secretKey()));

            UpstreamHttp http = new UpstreamHttp();
            Providers providers = new Providers(Map.of("openai", new OpenAiProvider(http), "local", new LocalProvider(localModels)));
            ChannelForm channelForm = new ChannelForm(providers.types());
            applyDeclared(declared, channels, channelForm, presets, clock);
            Channel localChannel = config.localModel() == null ? null : LocalModelChannel.upsert(channels, config.localModel(),
                    LocalModelChannel.modelName(config.localModel(), config.localModelName()), clock.millis());

            ChannelCatalog catalog = new ChannelCatalog(channels::list);
            catalogRef.set(catalog);
            if (localChannel != null && localChannel.enabled()) {
                loadLocalModel(localModels, localChannel);
            }
            ChannelHealth health = new ChannelHealth(clock);
            ChannelRouter router = new ChannelRouter(catalog, health, providers, config.maxAttempts(), clock);
            ConversationGate gate = new LocalConversationGate(MAX_WAITERS_PER_CONVERSATION);
            TurnService turns = new TurnService(presets, conversations, new LocalConversationResolver(conversations), gate,
                    router, new TokenCounter(), clock, config.defaultModel(), config.turnWait());

            HttpServer server = new HttpServer(List.of(new AuthFilter(new Authenticator(adminKey))))
                    .register("/", new HealthRoutes(database))
                    .register("/api/chat", new ChatRoutes(turns, config.maxMessageChars(), config.keepAliveInterval()))
                    .register("/api/conversations", new ConversationRoutes(conversations, gate, clock, config.turnWait()))
                    .register("/api/presets", new PresetRoutes(presets, clock))
                    .register("/api/channels", new ChannelRoutes(channels, catalog, health, channelForm,
                            new ChannelTester(providers, health, config.defaultModel()), clock));
            return new ChatAiServer(server.start(config), database, adminKey, localModels);
        } catch (RuntimeException e) {
            localModels.close();
            database.close();
            throw e;
        }
    }

    /** Loads CHATAI_LOCAL_MODEL's model at start, so a missing or damaged file stops the server now, not a chat later. */
    private static void loadLocalModel(LocalModels models, Channel channel) {
        try (LocalModels.Lease lease = models.acquire(new LocalModels.Key(Path.of(channel.modelPath()), channel.options()))) {
            LOG.info("CHATAI_LOCAL_MODEL serves models {} from {}", channel.models(), lease.engine().info().file());
        } catch (ModelFileException e) {
            throw new ConfigException("CHATAI_LOCAL_MODEL: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("CHATAI_LOCAL_MODEL: interrupted while loading the model");
        }
    }

    /** The model files and options the enabled local channels name; others are unloaded once idle. */
    private static Set<LocalModels.Key> localKeys(ChannelCatalog catalog) {
        return catalog == null ? null : catalog.all().stream()
                .filter(c -> c.enabled() && c.type().equals("local") && c.modelPath() != null)
                .map(c -> new LocalModels.Key(Path.of(c.modelPath()), c.options()))
                .collect(Collectors.toSet());
    }

    /** Applies CHATAI_CONFIG: channels matched by name, presets by id; both created or updated. */
    private static void applyDeclared(DeclaredResources declared, ChannelRepository channels, ChannelForm form,
                                      PresetRepository presets, Clock clock) {
        long now = clock.millis();
        for (int i = 0; i < declared.channels().size(); i++) {
            JsonBody body = new JsonBody(declared.channels().get(i));
            try {
                String name = body.requiredString("name", 100);
                Channel existing = channels.list().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
                if (existing == null) {
                    channels.insert(form.create(body, now));
                } else {
                    channels.update(form.merge(existing, body, now));
                }
            } catch (ApiException e) {
                throw new ConfigException("CHATAI_CONFIG channels[" + i + "]: " + e.getMessage());
            }
        }
        for (int i = 0; i < declared.presets().size(); i++) {
            JsonBody body = new JsonBody(declared.presets().get(i));
            try {
                String id = PresetForm.validId(body.requiredString("id", 64));
                Preset existing = presets.find(id).orElse(null);
                presets.save(existing == null ? PresetForm.create(body, now) : PresetForm.merge(existing, body, now));
            } catch (ApiException e) {
                throw new ConfigException("CHATAI_CONFIG presets[" + i + "]: " + e.getMessage());
            }
        }
    }
}
