package io.chatai.preset;

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

/** {@code /api/presets}: anyone with a key reads, only the admin writes; {@code default} cannot be deleted. */
public final class PresetRoutes implements HttpService {
    private final PresetRepository presets;
    private final Clock clock;

    public PresetRoutes(PresetRepository presets, Clock clock) {
        this.presets = presets;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Responses.ok(res, presets.list());
    }

    private void get(ServerRequest req, ServerResponse res) {
        Responses.ok(res, presets.find(id(req)).orElseThrow(() -> notFound(id(req))));
    }

    private void create(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        Preset preset = PresetForm.create(Requests.json(req), clock.millis());
        if (!presets.insert(preset)) {
            throw ApiException.invalid("Preset '" + preset.id() + "' already exists; use PUT /api/presets/" + preset.id() + " to change it");
        }
        Responses.created(res, preset);
    }

    private void update(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        String id = id(req);
        Preset stored = presets.find(id).orElseThrow(() -> notFound(id));
        Preset merged = PresetForm.merge(stored, Requests.json(req), clock.millis());
        if (!presets.update(merged)) {
            throw notFound(id);
        }
        Responses.ok(res, merged);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        AuthFilter.caller(req).requireAdmin();
        String id = id(req);
        if (id.equals(Preset.DEFAULT_ID)) {
            throw ApiException.invalid("The default preset cannot be deleted; change it with PUT instead");
        }
        if (!presets.delete(id)) {
            throw notFound(id);
        }
        Responses.send(res, 200, java.util.Map.of("success", true));
    }

    private static String id(ServerRequest req) {
        return Requests.pathId(req, "id", ErrorCode.PRESET_NOT_FOUND);
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.PRESET_NOT_FOUND, "No preset '" + id + "'");
    }
}
