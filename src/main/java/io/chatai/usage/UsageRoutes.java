package io.chatai.usage;

import io.chatai.core.ApiException;
import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.chatai.channel.CallPurpose;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/stats/usage?from&to&userId&groupId&purpose&groupBy=day|model|channel|user|group|purpose}:
 * token, request and cost totals over a time range (epoch millis, {@code to} exclusive; default the last 30
 * days), of one purpose ({@code chat}, {@code embedding}) or all. Costs are those recorded with each call (at
 * the prices of its time). A key bound to a user only ever sums that user's usage.
 */
public final class UsageRoutes implements HttpService {
    private static final long THIRTY_DAYS = 30L * 24 * 3600 * 1000;

    private final UsageRepository usage;
    private final Clock clock;

    public UsageRoutes(UsageRepository usage, Clock clock) {
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/usage", this::usage);
    }

    private void usage(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        long now = clock.millis();
        long to = longQuery(req, "to", now + 1);
        long from = longQuery(req, "from", to - THIRTY_DAYS);
        if (from > to) {
            throw ApiException.invalid("from must not be after to");
        }
        String userId = Requests.textQuery(req, "userId", 64);
        String groupId = Requests.textQuery(req, "groupId", 64);
        String purpose = purpose(Requests.textQuery(req, "purpose", 16));
        UsageRepository.GroupBy groupBy = groupBy(Requests.textQuery(req, "groupBy", 16));
        // For a bound key, another user's usage is simply empty, like another user's conversations.
        boolean invisible = userId != null && !caller.canSee(userId);
        if (caller.boundUserId() != null) {
            userId = caller.boundUserId();
        }
        UsageRepository.Filter filter = new UsageRepository.Filter(from, to, userId, groupId, purpose);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", from);
        data.put("to", to);
        data.put("totals", view(invisible ? new UsageRepository.Totals("all", 0, 0, 0, 0, 0, 0) : usage.totals(filter), false));
        if (groupBy != null) {
            data.put("groupBy", groupBy.name().toLowerCase(Locale.ROOT));
            data.put("groups", invisible ? List.of() : usage.grouped(filter, groupBy).stream().map(t -> view(t, true)).toList());
        }
        Responses.ok(res, data);
    }

    private static Map<String, Object> view(UsageRepository.Totals totals, boolean withKey) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (withKey) {
            view.put("key", totals.key());
        }
        view.put("requests", totals.requests());
        view.put("failures", totals.failures());
        view.put("promptTokens", totals.promptTokens());
        view.put("completionTokens", totals.completionTokens());
        view.put("totalTokens", totals.totalTokens());
        view.put("cost", Cost.decimal(totals.costNanos()));
        view.put("unpricedTokens", totals.unpricedTokens());
        return view;
    }

    private static UsageRepository.GroupBy groupBy(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "day" -> UsageRepository.GroupBy.DAY;
            case "model" -> UsageRepository.GroupBy.MODEL;
            case "channel" -> UsageRepository.GroupBy.CHANNEL;
            case "user" -> UsageRepository.GroupBy.USER;
            case "group" -> UsageRepository.GroupBy.GROUP;
            case "purpose" -> UsageRepository.GroupBy.PURPOSE;
            default -> throw ApiException.invalid("groupBy must be day, model, channel, user, group or purpose");
        };
    }

    private static String purpose(String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(CallPurpose.values()).map(CallPurpose::wire).filter(value::equals).findFirst()
                .orElseThrow(() -> ApiException.invalid("purpose must be one of " + Arrays.stream(CallPurpose.values())
                        .map(CallPurpose::wire).toList()));
    }

    private static long longQuery(ServerRequest req, String name, long fallback) {
        List<String> values = req.query().all(name, List::of);
        if (values.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(values.getFirst());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalid(name + " must be a time in epoch milliseconds");
    }
}
