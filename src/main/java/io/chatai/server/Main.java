package io.chatai.server;

import io.chatai.core.ApiException;
import io.chatai.core.Background;
import io.chatai.auth.AdminKey;
import io.chatai.auth.ApiKeyRepository;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Authenticator;
import io.chatai.auth.KeyRoutes;
import io.chatai.auth.SessionRoutes;
import io.chatai.auth.Sessions;
import io.chatai.channel.Breaker;
import io.chatai.channel.CallListener;
import io.chatai.channel.Channel;
import io.chatai.channel.ChannelCatalog;
import io.chatai.channel.ChannelForm;
import io.chatai.channel.ChannelHealth;
import io.chatai.channel.ChannelRepository;
import io.chatai.channel.ChannelRouter;
import io.chatai.channel.ChannelRoutes;
import io.chatai.channel.ChannelTester;
import io.chatai.channel.SingleNodeBreakers;
import io.chatai.channel.ClusterBreakers;
import io.chatai.channel.ModelCalls;
import io.chatai.store.SecretBox;
import io.chatai.budget.BudgetGate;
import io.chatai.budget.BudgetRepository;
import io.chatai.budget.BudgetRoutes;
import io.chatai.chat.ChatRoutes;
import io.chatai.chat.TurnService;
import io.chatai.image.ImageFetcher;
import io.chatai.image.ImageIntake;
import io.chatai.config.Config;
import io.chatai.config.ConfigException;
import io.chatai.config.ConfigLoader;
import io.chatai.config.DeclaredResources;
import io.chatai.conversation.ConversationLocks;
import io.chatai.conversation.ConversationRepository;
import io.chatai.conversation.ConversationRoutes;
import io.chatai.conversation.SingleNodeConversationLocks;
import io.chatai.conversation.ClusterConversationLocks;
import io.chatai.embedding.EmbeddingCalls;
import io.chatai.embedding.EmbeddingRoutes;
import io.chatai.embedding.LocalEmbeddingModel;
import io.chatai.gateway.AnthropicFrontRoutes;
import io.chatai.memory.MemoryExtractor;
import io.chatai.memory.MemoryRecall;
import io.chatai.memory.MemoryRepository;
import io.chatai.memory.MemoryRoutes;
import io.chatai.memory.MemoryWriter;
import io.chatai.memory.TurnMemory;
import io.chatai.userdata.RetentionSweep;
import io.chatai.userdata.UserDataRepository;
import io.chatai.userdata.UserDataRoutes;
import io.chatai.gateway.GatewayRoutes;
import io.chatai.gateway.ResponseStore;
import io.chatai.gateway.ResponsesRoutes;
import io.chatai.gateway.ModelDirectory;
import io.chatai.gateway.V1Admission;
import io.chatai.observe.AccessLog;
import io.chatai.observe.CallMetrics;
import io.chatai.observe.Logging;
import io.chatai.observe.Metrics;
import io.chatai.observe.MetricsRoutes;
import io.chatai.preset.Preset;
import io.chatai.preset.PresetForm;
import io.chatai.preset.PresetRepository;
import io.chatai.preset.PresetRoutes;
import io.chatai.provider.Providers;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.anthropic.AnthropicProvider;
import io.chatai.provider.gemini.GeminiEmbedder;
import io.chatai.provider.gemini.GeminiProvider;
import io.chatai.provider.llama.LlamaChannelRules;
import io.chatai.provider.llama.LlamaModels;
import io.chatai.provider.llama.LlamaProvider;
import io.chatai.provider.llama.ModelFileException;
import io.chatai.provider.openai.OpenAiEmbedder;
import io.chatai.provider.openai.OpenAiProvider;
import io.chatai.ratelimit.ChatLimits;
import io.chatai.ratelimit.SingleNodeRateLimiter;
import io.chatai.ratelimit.RateLimiter;
import io.chatai.ratelimit.ClusterRateLimiter;
import io.chatai.store.ConfigVersion;
import io.chatai.store.DataFiles;
import io.chatai.store.Database;
import io.chatai.tokens.TokenArrays;
import io.chatai.tokens.TokenCounter;
import io.chatai.tool.ToolExecutionRepository;
import io.chatai.tool.ToolExecutor;
import io.chatai.tool.ToolRoutes;
import io.chatai.tool.ToolServer;
import io.chatai.tool.ToolServerForm;
import io.chatai.tool.ToolServerRepository;
import io.chatai.tool.ToolServerRoutes;
import io.chatai.tool.ToolServers;
import io.chatai.usage.PriceRoutes;
import io.chatai.usage.PriceTable;
import io.chatai.usage.UsageListener;
import io.chatai.usage.UsageRepository;
import io.chatai.usage.UsageRoutes;
import io.chatai.usage.UsageWriter;
import io.chatai.core.JsonBody;
import io.chatai.web.KeepAlives;
import io.chatai.web.SlowRequestGuard;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts ChatAI Server: configuration, then the database, repositories, provider adapters, services and
 * routes, each handed to the next by constructor. Nothing is global; tests call {@link #start} with
 * their own configuration and clock and get the real server.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** How many turns may queue behind one busy conversation before 409 comes at once. */
    private static final int MAX_WAITERS_PER_CONVERSATION = 64;
    /** The contract's bound on fetching one image URL, redirects included. */
    private static final java.time.Duration IMAGE_FETCH_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** Texts that may wait for the built-in embedding model: two requests of OpenAI's 2048 inputs each, and more. */
    private static final int LOCAL_EMBEDDING_QUEUE = 8192;
    /** Committed turns that may wait for memory extraction; past it a turn's facts are dropped, never its reply. */
    private static final int MEMORY_QUEUE = 1024;

    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = ConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println("ChatAI Server cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logging.configure(config.logFormat());
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
        Metrics metrics = new Metrics();
        DataFiles dataFiles = new DataFiles(config);
        dataFiles.secure(); // before SQLite creates its files, so they are owner-only from the start
        // Every periodic task and dedicated background thread runs here, stopped in one place.
        Background background = new Background();
        // Closed in reverse order of creation if start fails, in this order once the web server stopped.
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        resources.push(metrics);
        resources.push(background); // last: by then only what the database itself started is left
        try {
            Database database = push(resources, Database.open(config, metrics.registry(), background));
            AtomicReference<ChannelCatalog> catalogRef = new AtomicReference<>();
            LlamaModels localModels = push(resources, new LlamaModels(() -> localKeys(catalogRef.get())));
            String adminKey = AdminKey.resolve(config.adminKey(), config.dataDir());
            dataFiles.secure(); // and whatever opening the database and finding the admin key created
            boolean shared = config.usesPostgres(); // several instances may share this database
            PresetRepository presets = new PresetRepository(database);
            ConversationRepository conversations = new ConversationRepository(database);
            SecretBox secretBox = new SecretBox(config.secretKey());
            ChannelRepository channels = new ChannelRepository(database, secretBox);
            ToolServerRepository toolServerRepository = new ToolServerRepository(database, secretBox);
            ApiKeyRepository keys = new ApiKeyRepository(database);
            UsageRepository usage = new UsageRepository(database);
            PriceTable prices = new PriceTable(database);
            BudgetRepository budgets = new BudgetRepository(database);

            UpstreamHttp http = push(resources, new UpstreamHttp());
            Providers providers = new Providers(Map.of(
                    "openai", new OpenAiProvider(http),
                    "anthropic", new AnthropicProvider(http),
                    "gemini", new GeminiProvider(http),
                    LlamaChannelRules.TYPE, new LlamaProvider(localModels)));
            ChannelForm channelForm = new ChannelForm(providers);
            ToolServerForm toolServerForm = new ToolServerForm(config.allowStdioTools());
            applyDeclared(declared, channels, channelForm, presets, clock);
            applyDeclaredToolServers(declared, toolServerRepository, toolServerForm, clock);
            int sealed = channels.sealPlaintext();
            if (sealed > 0) {
                LOG.info("Encrypted the keys of {} channel(s) stored before CHATAI_SECRET_KEY was set", sealed);
            }
            int sealedTools = toolServerRepository.sealPlaintext();
            if (sealedTools > 0) {
                LOG.info("Encrypted the header and environment values of {} tool server(s) stored before CHATAI_SECRET_KEY was set", sealedTools);
            }
            Channel localChannel = config.localModel() == null ? null : LlamaModelChannel.upsert(channels, config.localModel(),
                    LlamaModelChannel.modelName(config.localModel(), config.localModelName()), clock.millis());

            UsageWriter usageWriter = push(resources, new UsageWriter(usage::insert));
            usageWriter.start(background);
            UsageListener usageListener = new UsageListener(usageWriter, prices, clock);
            CallMetrics callMetrics = new CallMetrics(metrics);
            CallListener calls = report -> {
                usageListener.onCall(report);
                callMetrics.onCall(report);
            };
            ChannelCatalog catalog = new ChannelCatalog(channels::list);
            catalogRef.set(catalog);
            if (localChannel != null && localChannel.enabled()) {
                loadLocalModel(localModels, localChannel);
            }
            Breaker.Store breakers = shared ? clusterBreakers(database, background) : new SingleNodeBreakers();
            ChannelHealth health = new ChannelHealth(clock, breakers, config.cooldownAfter(), channel -> metrics.cooldown(channel.name()));
            metrics.channelStates(() -> catalog.all().stream().map(channel -> {
                ChannelHealth.View view = health.view(channel);
                return new Metrics.ChannelStatus(channel.name(), view.state(), view.consecutiveFailures());
            }).toList());
            ChannelRouter router = new ChannelRouter(catalog, health, providers, config.maxAttempts(), clock);
            TokenCounter tokens = new TokenCounter();
            // Budgets: every routed request is admitted (or refused) before any upstream call, and settled after.
            BudgetGate budgetGate = push(resources, new BudgetGate(database, budgets, prices, clock, config.lease()));
            budgetGate.start(background, !shared);
            ModelCalls modelCalls = new ModelCalls(router, tokens, calls, budgetGate, config.maxAnswerChars());
            // One inference thread per core, each running its inference alone: texts run in parallel, not the steps of one.
            LocalEmbeddingModel localEmbedding = push(resources, new LocalEmbeddingModel(
                    Runtime.getRuntime().availableProcessors(), LOCAL_EMBEDDING_QUEUE));
            EmbeddingCalls embeddingCalls = new EmbeddingCalls(catalog, router, Map.of(
                    "openai", new OpenAiEmbedder(http),
                    "gemini", new GeminiEmbedder(http)), localEmbedding, tokens, new TokenArrays(), calls, budgetGate);
            ConversationLocks locks = shared
                    ? clusterLocks(config, database, background, resources)
                    : singleNodeLocks(conversations, background);
            MemoryRepository memories = new MemoryRepository(database);
            MemoryWriter memoryWriter = new MemoryWriter(memories, localEmbedding, LocalEmbeddingModel.NAME, clock);
            MemoryRecall memoryRecall = new MemoryRecall(memories, localEmbedding, LocalEmbeddingModel.NAME, tokens);
            MemoryExtractor memoryExtractor = new MemoryExtractor(modelCalls, memoryWriter, MEMORY_QUEUE);
            memoryExtractor.start(background);
            UserDataRepository userData = new UserDataRepository(database, conversations, memories);
            if (config.retentionDays() > 0) {
                new RetentionSweep(userData, clock, config.retentionDays()).start(background);
            }
            ImageIntake imageIntake = new ImageIntake(new ImageFetcher(config.imageFetchAllowPrivate(),
                    IMAGE_FETCH_TIMEOUT, config.maxImageBytes()), config.maxImageBytes());
            TurnMemory turnMemory = new TurnMemory(memoryRecall, memoryExtractor);

            Authenticator authenticator = new Authenticator(adminKey, keys);
            Sessions sessions = new Sessions(database, adminKey, clock);
            RateLimiter limiter = shared ? new ClusterRateLimiter(database.writeDataSource()) : new SingleNodeRateLimiter();
            ChatLimits limits = new ChatLimits(limiter, config.rateLimitPerMinute(), config.userRateLimitPerMinute());
            V1Admission v1Admission = new V1Admission(limits);
            // Sessions with tool servers are this instance's own; closed before the database (they never need it to close).
            ToolServers toolServers = push(resources, new ToolServers(toolServerRepository, toolServerForm, clock));
            toolServers.start(background);
            ToolExecutor toolExecutor = new ToolExecutor(toolServers);
            TurnService turns = new TurnService(presets, conversations, locks, modelCalls, tokens, clock,
                    config.defaultModel(), config.turnWait(), imageIntake, turnMemory, toolExecutor, new ToolExecutionRepository(database),
                    database, config.toolResultWait());
            turns.start(background);
            new ConfigVersion(database, List.of(catalog::refresh, authenticator::forgetAll, presets::forgetCache, toolServers::reload,
                    prices::refresh, budgets::refresh))
                    .start(background, Duration.ofSeconds(1));

            KeepAlives keepAlives = new KeepAlives(config.keepAliveInterval());
            keepAlives.start(background);
            SlowRequestGuard guard = new SlowRequestGuard(config.requestReadTimeout());
            guard.start(background);
            // Closed first: no tick runs while the resources below close (usage is written by close()).
            resources.push(background::stopTicks);
            HttpServer server = new HttpServer(config, guard, List.of(new AccessLog(metrics), new Cors(config.corsOrigins()),
                    new AuthFilter(authenticator, sessions)))
                    .register("/", new HealthRoutes(database))
                    .register("/", new MetricsRoutes(metrics, authenticator, config.metricsPublic()))
                    .register("/api/auth", new SessionRoutes(sessions, authenticator))
                    .register("/api/keys", new KeyRoutes(keys, authenticator, clock))
                    .register("/api/chat", new ChatRoutes(turns, limits, metrics, config.maxMessageChars(), config.maxImages(),
                            config.maxBodyBytes(), keepAlives))
                    .register("/api/conversations", new ConversationRoutes(conversations, locks, clock, config.turnWait()))
                    .register("/api/presets", new PresetRoutes(presets, clock))
                    .register("/api/memories", new MemoryRoutes(memories, memoryWriter, memoryRecall))
                    .register("/api/users", new UserDataRoutes(userData, clock))
                    .register("/api/channels", new ChannelRoutes(channels, catalog, health, channelForm,
                            new ChannelTester(providers, health, config.defaultModel()), clock))
                    .register("/api/stats", new UsageRoutes(usage, clock))
                    .register("/api/tools/servers", new ToolServerRoutes(toolServerRepository, toolServers, toolServerForm, clock))
                    .register("/api/tools", new ToolRoutes(toolServerRepository, toolServers, clock))
                    .register("/api/prices", new PriceRoutes(prices))
                    .register("/api/budgets", new BudgetRoutes(budgets, budgetGate))
                    .register("/v1", new GatewayRoutes(modelCalls, v1Admission, new ModelDirectory(catalog, presets, config.defaultModel(),
                            List.of(LocalEmbeddingModel.NAME)), metrics, clock, keepAlives))
                    .register("/v1", new EmbeddingRoutes(embeddingCalls, v1Admission))
                    .register("/v1", new ResponsesRoutes(modelCalls, v1Admission, new ResponseStore(database), metrics, clock,
                            keepAlives))
                    .register("/v1", new AnthropicFrontRoutes(modelCalls, router, v1Admission, tokens, metrics, keepAlives))
                    .register("/", new PanelRoutes()); // only GET / and /panel/*: every other path keeps its JSON 404
            return new ChatAiServer(server.start(), List.copyOf(resources), usageWriter, localModels, adminKey,
                    toolExecutor);
        } catch (RuntimeException e) {
            background.stopTicks();
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Channel breakers shared through PostgreSQL, their snapshot refreshed every second. */
    private static Breaker.Store clusterBreakers(Database database, Background background) {
        ClusterBreakers breakers = new ClusterBreakers(database);
        breakers.start(background, Duration.ofSeconds(1));
        return breakers;
    }

    private static ConversationLocks singleNodeLocks(ConversationRepository conversations, Background background) {
        SingleNodeConversationLocks locks = new SingleNodeConversationLocks(conversations, MAX_WAITERS_PER_CONVERSATION);
        locks.start(background);
        return locks;
    }

    private static ConversationLocks clusterLocks(Config config, Database database, Background background,
                                                  Deque<AutoCloseable> resources) {
        ClusterConversationLocks locks = push(resources, new ClusterConversationLocks(database, config.databaseUrl(),
                config.databaseUser(), config.databasePassword(), config.lease(), MAX_WAITERS_PER_CONVERSATION));
        locks.start(background);
        return locks;
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    /** Loads CHATAI_LOCAL_MODEL's model at start, so a missing or damaged file stops the server now, not a chat later. */
    private static void loadLocalModel(LlamaModels models, Channel channel) {
        try (LlamaModels.Lease lease = models.acquire(new LlamaModels.Key(Path.of(channel.modelPath()), channel.options()))) {
            LOG.info("CHATAI_LOCAL_MODEL serves models {} from {}", channel.models(), lease.engine().info().file());
        } catch (ModelFileException e) {
            throw new ConfigException("CHATAI_LOCAL_MODEL: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("CHATAI_LOCAL_MODEL: interrupted while loading the model");
        }
    }

    /** The model files and options the enabled channels name (only a model run in-process has one); others are unloaded once idle. */
    private static Set<LlamaModels.Key> localKeys(ChannelCatalog catalog) {
        return catalog == null ? null : catalog.all().stream()
                .filter(c -> c.enabled() && c.modelPath() != null)
                .map(c -> new LlamaModels.Key(Path.of(c.modelPath()), c.options()))
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

    /** Applies CHATAI_CONFIG's toolServers, matched by name: created or updated (connected once the server runs). */
    private static void applyDeclaredToolServers(DeclaredResources declared, ToolServerRepository servers, ToolServerForm form,
                                                 Clock clock) {
        long now = clock.millis();
        for (int i = 0; i < declared.toolServers().size(); i++) {
            JsonBody body = new JsonBody(declared.toolServers().get(i));
            try {
                String name = body.requiredString("name", 32);
                ToolServer existing = servers.findByName(name).orElse(null);
                if (existing == null) {
                    servers.insert(form.create(body, now));
                } else {
                    servers.update(form.merge(existing, body, now));
                }
            } catch (ApiException e) {
                throw new ConfigException("CHATAI_CONFIG toolServers[" + i + "]: " + e.getMessage());
            }
        }
    }
}
