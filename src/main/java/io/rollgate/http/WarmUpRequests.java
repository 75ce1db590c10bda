package io.rollgate.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Requests a starting replica sends itself to warm its hot path before it reports ready: they carry a secret only
 * this process knows, so the per-client rate limit (every one comes from loopback) lets them through and no one
 * else can claim to be one. One of them rehearses a change: a global kill switch, made as an operator would make
 * it, and rolled back (see {@link #rehearsing}).
 */
@ApplicationScoped
public class WarmUpRequests {

    public static final String HEADER = "X-Rollgate-Warm-Up";
    /** The one request a warm-up makes with a token (the secret): the emergency switch, always rolled back. */
    public static final String REHEARSED_PATH = "/api/admin/feature-flags";
    public static final String PRINCIPAL = "rollgate warm-up";
    /** The mark a rehearsal's request carries on its Vert.x context, where its transaction runs. */
    private static final String REHEARSAL = WarmUpRequests.class.getName() + ".rehearsal";

    private final String secret = UUID.randomUUID().toString();

    public String secret() {
        return secret;
    }

    boolean isWarmUp(HttpServerRequest request) {
        String given = request.getHeader(HEADER);
        return given != null && secret.equals(given);
    }

    /**
     * Whether {@code request} is the warm-up's rehearsal of a change, and if so marks its context so that every
     * change it makes is rolled back: only then may the secret serve as an operator's token, and only on the
     * emergency switch.
     */
    public boolean rehearsal(HttpServerRequest request) {
        if (!isWarmUp(request) || !HttpMethod.POST.equals(request.method()) || !REHEARSED_PATH.equals(request.path())) {
            return false;
        }
        Vertx.currentContext().putLocal(REHEARSAL, true);
        return true;
    }

    /** Whether the change under way is a warm-up's rehearsal: it runs to its end and is never committed. */
    public static boolean rehearsing() {
        Context context = Vertx.currentContext();
        return context != null && Boolean.TRUE.equals(context.getLocal(REHEARSAL));
    }
}
