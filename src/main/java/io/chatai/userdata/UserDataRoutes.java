package io.chatai.userdata;

import io.chatai.auth.AuthFilter;
import io.chatai.auth.Caller;
import io.chatai.core.ApiException;
import io.chatai.core.ErrorCode;
import io.chatai.core.JsonBody;
import io.chatai.web.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;

/**
 * {@code /api/users/{userId}/data}: {@code GET} exports everything stored about one user as one JSON document,
 * {@code DELETE} erases it. Erasing needs the admin or an unbound key; a key bound to a user may export that
 * user's own data (another user's answers 404).
 */
public final class UserDataRoutes implements HttpService {
    private final UserDataRepository data;
    private final Clock clock;

    public UserDataRoutes(UserDataRepository data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{userId}/data", this::export)
                .delete("/{userId}/data", this::erase);
    }

    private void export(ServerRequest req, ServerResponse res) {
        String userId = userId(req);
        if (!AuthFilter.caller(req).canSee(userId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No data of user " + userId);
        }
        Responses.ok(res, data.export(userId, clock.millis()));
    }

    private void erase(ServerRequest req, ServerResponse res) {
        Caller caller = AuthFilter.caller(req);
        if (caller.boundUserId() != null) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Erasing a user's data needs the admin key or an unbound key");
        }
        Responses.ok(res, data.erase(userId(req), clock.millis()));
    }

    private static String userId(ServerRequest req) {
        return JsonBody.checkText("userId", req.path().pathParameters().get("userId"), 1, 64);
    }
}
