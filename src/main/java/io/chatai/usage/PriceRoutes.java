package io.chatai.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.auth.AuthFilter;
import io.chatai.core.ApiException;
import io.chatai.core.JsonBody;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/prices} and {@code PUT /api/prices} (admin): the price table every usage record is
 * priced with at the time of its call. {@code PUT} replaces the whole table with a JSON array of
 * {@code {"model", "inputPerMTok", "outputPerMTok", "cachedInputPerMTok"?}} (or {@code {"prices": [...]}});
 * order matters, the first pattern matching a model wins.
 */
public final class PriceRoutes implements HttpService {
    private final PriceTable prices;

    public PriceRoutes(PriceTable prices) {
        this.prices = prices;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list).put("/", this::replace);
    }

    private void list(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        Responses.ok(res, prices.all().stream().map(Price::view).toList());
    }

    private void replace(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        List<Price> table = parse(Requests.jsonValue(req, "a JSON array of prices"));
        prices.replace(table);
        Responses.ok(res, table.stream().map(Price::view).toList());
    }

    /** The whole table, checked entry by entry; the first invalid one is a 400 naming it. */
    static List<Price> parse(JsonNode body) {
        JsonNode array = body.isObject() && body.has("prices") ? body.get("prices") : body;
        if (!array.isArray()) {
            throw ApiException.invalid("Send the price table as a JSON array of {model, inputPerMTok, outputPerMTok, "
                    + "cachedInputPerMTok?} (or an object with such an array in \"prices\")");
        }
        if (array.size() > PriceTable.MAX_PRICES) {
            throw ApiException.invalid("The price table may hold at most " + PriceTable.MAX_PRICES + " entries, got " + array.size());
        }
        List<Price> table = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof ObjectNode entry)) {
                throw ApiException.invalid("prices[" + i + "] must be an object");
            }
            table.add(Price.parse(new JsonBody(entry), "prices[" + i + "]"));
        }
        return table;
    }
}
