package io.chatai.gateway;

import io.chatai.channel.CallContext;
import io.chatai.channel.ModelCalls;
import io.chatai.core.ApiException;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ModelRequest;
import io.chatai.provider.RawRelay;

/**
 * The non-streamed model call every {@code /v1} front makes: relayed or translated by {@link ModelCalls}, a refusal
 * in the gateway's terms ({@link GatewayErrors#translate}). Stateless.
 */
final class V1Calls {
    private V1Calls() {
    }

    /** @param shownModel the model as the caller named it, for error messages */
    static ModelCalls.Result relay(ModelCalls calls, ModelRequest request, RawRelay.Request raw, String relayOnly,
                                   CallContext context, String shownModel) {
        try {
            return calls.relay(request, raw, relayOnly, context, new Cancellation(), null, () -> false);
        } catch (ApiException e) {
            throw GatewayErrors.translate(e, shownModel);
        }
    }
}
