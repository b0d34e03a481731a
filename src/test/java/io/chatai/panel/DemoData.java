package io.chatai.panel;

import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.ShiftedClock;
import io.chatai.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fills a fresh server with two weeks of plausible traffic through the real API, so the panel's pages
 * (and their screenshots) show what an operator would see: several users and groups, three models,
 * a channel cooling down after a 429, a disabled one, a few failures, keys, presets, prices and budgets.
 * Deterministic (fixed seed). Not thread-safe: run once before the browser starts.
 */
final class DemoData {
    /** What the fake OpenAI answers: canned, streamed word by word. */
    static final String TEST_PROMPT = "Reply with the single word OK.";

    private static final String[][] QUESTIONS = {
        {"How do I reset my password?", "Open Settings, choose Security, then Reset password. You will get a link by e-mail that works for 30 minutes."},
        {"Summarize today's standup in three bullets.", "- The release branch is frozen.\n- Two bugs are left on the checkout page.\n- Demo moves to Friday."},
        {"Translate \"good morning, team\" into Spanish.", "¡Buenos días, equipo!"},
        {"What is the difference between a process and a thread?", "A process has its own memory; threads share the memory of the process they run in, so they are cheaper to start and to switch between."},
        {"Write a haiku about deployments.", "Green checks in the night\nthe pager sleeps, then it sings\nrollback before dawn"},
        {"Which plan includes priority support?", "The Team and Enterprise plans include priority support with a four-hour response time."},
        {"Can you explain what a context window is?", "It is how much text the model can read at once: the system prompt, the recent history and your new message must fit in it."},
        {"Give me a SQL query for the ten newest orders.", "SELECT * FROM orders ORDER BY created_at DESC LIMIT 10;"},
        {"Remind me what we decided about the logo.", "You chose the indigo version with the rounded speech bubble, and to drop the gradient on small sizes."},
        {"Is the API down right now?", "No incident is open. If calls fail, check that your key is active and that you stay under your rate limit."},
    };
    private static final String[][] SCOPES = {
        {"alice", "dev-team"}, {"bob", "dev-team"}, {"carol", null}, {"10086", "qq-group-42"}, {"10010", "qq-group-42"},
        {"dave", "support"}, {"erin", "support"}, {"frank", null},
    };

    private DemoData() {
    }

    /** The fake's answer to a chat: a known answer for a known question, else one that quotes the message. */
    static Reply answer(String message, Duration gap) {
        if (message.equals(TEST_PROMPT)) {
            return Reply.text("OK").withoutUsage();
        }
        String text = Arrays.stream(QUESTIONS).filter(q -> q[0].equals(message)).map(q -> q[1]).findFirst()
                .orElse("Happy to help! You said: \"" + message + "\". I can answer questions, summarize a discussion "
                        + "and keep every member's context apart.");
        List<String> chunks = new ArrayList<>();
        for (String word : text.split("(?<= )")) {
            chunks.add(word);
        }
        // No usage from the fake: the server counts tokens itself, so the numbers vary like real ones.
        return Reply.text(chunks.toArray(String[]::new)).withGap(gap).withoutUsage();
    }

    /** Seeds everything; leaves the clock at the real time and the fakes answering normally. */
    static void seed(TestServer server, ShiftedClock clock, FakeOpenAi openAi, FakeAnthropic anthropic) {
        Api admin = server.admin();
        String temporary = server.addChannel(openAi, Map.of("name", "openai-main", "priority", 10,
                "models", List.of("gpt-4o-mini", "gpt-4o"), "apiKeys", List.of("sk-demo-openai-0000000000000000")));
        server.addChannel(openAi, Map.of("name", "deepseek", "models", List.of("deepseek-chat"),
                "apiKeys", List.of("sk-demo-deepseek-1111111111111111")));
        server.addChannel(anthropic, Map.of("name", "claude-backup", "models", List.of("claude-3-5-haiku"), "priority", -1,
                "apiKeys", List.of("sk-ant-demo-2222222222222222")));
        ok(admin.post("/api/channels", Map.of("name", "gemini-eu", "type", "gemini", "enabled", false,
                "apiKeys", List.of("AIzaDemoKey3333333333333333"), "models", List.of("gemini-2.0-flash"))));
        ok(admin.post("/api/presets", Map.of("id", "translator", "name", "Translator", "description", "Translates into English",
                "systemPrompt", "Translate everything {{userId}} writes into English. Keep names as they are.",
                "model", "deepseek-chat", "temperature", 0.2)));
        ok(admin.post("/api/presets", Map.of("id", "analyst", "name", "Data analyst", "description", "Careful answers with SQL",
                "systemPrompt", "You are a data analyst for {{groupId}}. Today is {{date}}. Answer with SQL when it helps.",
                "model", "gpt-4o", "maxTokens", 2048, "maxContextMessages", 10)));
        String qqBot = ok(admin.post("/api/keys", Map.of("name", "qq-bot", "rateLimitPerMinute", 120))).data().path("id").asText();
        ok(admin.post("/api/keys", Map.of("name", "alice-app", "userId", "alice", "rateLimitPerMinute", 20)));

        // Prices before the traffic: each call is priced when it is made.
        ok(admin.put("/api/prices", List.of(
                Map.of("model", "gpt-4o-mini*", "inputPerMTok", 0.15, "outputPerMTok", 0.6),
                Map.of("model", "gpt-4o*", "inputPerMTok", 2.5, "outputPerMTok", 10, "cachedInputPerMTok", 1.25),
                Map.of("model", "deepseek-*", "inputPerMTok", 0.27, "outputPerMTok", 1.1))));
        openAi.scriptRequests(recorded -> answer(lastUserMessage(recorded), Duration.ZERO));
        Random random = new Random(8);
        for (int day = 13; day >= 0; day--) {
            int turns = 3 + random.nextInt(5) + (day < 5 ? 3 : 0);
            for (int t = 0; t < turns; t++) {
                clock.shift(Duration.ofDays(-day).minusHours(1 + (long) (turns - t) * 2).minusMinutes(random.nextInt(50)));
                String[] scope = SCOPES[random.nextInt(SCOPES.length)];
                Map<String, Object> chat = new HashMap<>();
                chat.put("message", QUESTIONS[random.nextInt(QUESTIONS.length)][0]);
                chat.put("userId", scope[0]);
                if (scope[1] != null) {
                    chat.put("groupId", scope[1]);
                }
                if (random.nextInt(10) < 4) {
                    chat.put("newConversation", true); // else it continues the scope's latest conversation
                }
                int kind = random.nextInt(10);
                chat.put("preset", kind < 2 ? "translator" : kind < 4 ? "analyst" : "default");
                admin.post("/api/chat", chat);
            }
            if (day % 4 == 1) {
                // An overloaded backup: the attempt fails and shows up as a failure that day.
                anthropic.always(Reply.status(529, "Overloaded"));
                admin.post("/api/chat", Map.of("message", "ping", "userId", "monitor", "model", "claude-3-5-haiku"));
            }
        }
        clock.shift(Duration.ZERO);
        // Now: the backup refuses with a 429 for an hour, so the channels page shows it cooling down.
        anthropic.always(Reply.status(429, "Rate limit reached for requests").withRetryAfter("3600"));
        admin.post("/api/chat", Map.of("message", "ping", "userId", "monitor", "model", "claude-3-5-haiku"));
        // The browser adds the main channel itself; its usage so far stays under the same name.
        ok(admin.delete("/api/channels/" + temporary));
        server.flushUsage();
        // Budgets, created after the traffic: each counts what its subjects spent today (or this month) already.
        ok(admin.post("/api/budgets", Map.of("scope", "group", "subject", "*", "period", "day", "maxTokens", 20_000)));
        ok(admin.post("/api/budgets", Map.of("scope", "key", "subject", qqBot, "period", "month", "maxCost", 5,
                "message", "The QQ bot has used this month's AI budget.")));
        ok(admin.post("/api/budgets", Map.of("scope", "user", "subject", "carol", "period", "day", "maxTokens", 3_000)));
    }

    static String lastUserMessage(FakeOpenAi.Recorded recorded) {
        List<com.fasterxml.jackson.databind.JsonNode> messages = recorded.messages();
        return messages.isEmpty() ? "" : messages.getLast().path("content").asText();
    }

    private static Api.Response ok(Api.Response response) {
        if (response.status() >= 300) {
            throw new AssertionError("seeding failed: " + response.status() + " " + response.body());
        }
        return response;
    }
}
