package io.chatai.channel;

import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.auth.AuthFilter;
import io.chatai.web.Requests;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Map;

/** {@code /api/channels}: admin only; keys are write-only and every read masks them. */
public final class ChannelRoutes implements HttpService {
    private final ChannelRepository channels;
    private final ChannelCatalog catalog;
    private final ChannelHealth health;
    private final ChannelForm form;
    private final ChannelTester tester;
    private final Clock clock;

    public ChannelRoutes(ChannelRepository channels, ChannelCatalog catalog, ChannelHealth health, ChannelForm form,
                         ChannelTester tester, Clock clock) {
        this.channels = channels;
        this.catalog = catalog;
        this.health = health;
        this.form = form;
        this.tester = tester;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(AuthFilter::requireAdmin)
                .get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/test", this::test);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Responses.ok(res, ChannelView.of(channels.list(), health));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Channel channel = stored(req);
        Responses.ok(res, ChannelView.of(channel, health.view(channel)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Channel channel = form.create(Requests.json(req), clock.millis());
        channels.insert(channel);
        catalog.refresh();
        Responses.created(res, ChannelView.of(channel, health.view(channel)));
    }

    private void update(ServerRequest req, ServerResponse res) {
        Channel merged = form.merge(stored(req), Requests.json(req), clock.millis());
        if (!channels.update(merged)) {
            throw notFound(merged.id());
        }
        catalog.refresh();
        Responses.ok(res, ChannelView.of(merged, health.view(merged)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        if (!channels.delete(id)) {
            throw notFound(id);
        }
        catalog.refresh();
        health.forget(id);
        Responses.send(res, 200, Map.of("success", true));
    }

    private void test(ServerRequest req, ServerResponse res) {
        Channel channel = stored(req);
        boolean hasBody = req.headers().contentLength().orElse(0L) > 0 || req.headers().contains(io.helidon.http.HeaderNames.TRANSFER_ENCODING);
        String model = hasBody ? Requests.json(req).optionalString("model", 128) : null;
        Responses.ok(res, tester.test(channel, model));
    }

    private Channel stored(ServerRequest req) {
        String id = Requests.pathId(req, "id", ErrorCode.NOT_FOUND);
        return channels.find(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.NOT_FOUND, "No channel " + id);
    }
}
