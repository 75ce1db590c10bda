package io.rollgate.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.DatabaseUnavailableException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.rollgate.errors.PayloadTooLargeException;
import io.rollgate.errors.ServiceBusyException;
import io.rollgate.errors.Violation;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers: problem+json with a correlation id, never a
 * stack trace or an exception class name.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private final Duration retryAfter;
    private final long maxBodySize;

    // the Retry-After of the database settings, by key: errors sit below the database plumbing
    public ProblemMappers(
            @ConfigProperty(name = "rollgate.database.retry-after", defaultValue = "5s") Duration retryAfter,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.retryAfter = retryAfter;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e, HttpServerRequest request) {
        return problem(request, 400, "Invalid input", describe(e), e.violations());
    }

    /** Every violation of an invalid input, field and reason, as the problem's detail. */
    public static String describe(InvalidInputException e) {
        return e.violations().stream()
                .map(v -> v.field() + " " + v.reason())
                .collect(Collectors.joining("; "));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return problem(request, 404, "Not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, HttpServerRequest request) {
        return Response.status(409)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Conflict", 409, e.getMessage(), request.path(),
                        correlationId(request), null, e.unmet().isEmpty() ? null : e.unmet()))
                .build();
    }

    @ServerExceptionMapper
    public Response unavailable(DatabaseUnavailableException e, HttpServerRequest request) {
        Response.ResponseBuilder builder = builder(request, 503, "Service unavailable", e.getMessage(), null);
        return builder.header("Retry-After", retryAfter.toSeconds()).build();
    }

    @ServerExceptionMapper
    public Response busy(ServiceBusyException e, HttpServerRequest request) {
        return builder(request, 503, "Service unavailable", e.getMessage(), null)
                .header("Retry-After", retryAfter.toSeconds()).build();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class })
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        String detail = request.getHeader("Authorization") == null
                ? "A bearer token is required: send Authorization: Bearer <token>"
                : "The bearer token is not valid";
        return builder(request, 401, "Unauthorized", detail, null)
                .header("WWW-Authenticate", "Bearer realm=\"rollgate\"")
                .build();
    }

    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e, HttpServerRequest request) {
        return builder(request, 413, "Payload too large", e.getMessage(), null).header("Connection", "close").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return problem(request, 403, "Forbidden", "This token's role may not do this", null);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return tooLarge(tooLarge, request); // the parser wraps what the body's stream throws
            }
        }
        return problem(request, 400, "Malformed request body", describe(e), null);
    }

    /** Declared apart so it wins over the built-in mapper for this exact type, which answers without a body. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return tooLarge(tooLarge, request);
            }
            if (cause instanceof JsonProcessingException json) {
                return json(json, request);
            }
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 404 -> "No resource at " + request.path();
            case 405 -> request.method() + " is not allowed on " + request.path();
            case 406 -> "This resource answers application/json";
            case 413 -> "The request body is larger than " + maxBodySize + " bytes";
            case 415 -> "Send the body as application/json";
            default -> title;
        };
        return problem(request, status, title, detail, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String id = correlationId(request);
        LOG.errorf(e, "Unexpected error on %s %s [correlationId=%s]", request.method(), request.path(), id);
        return Response.status(500)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Internal server error", 500, UNEXPECTED, request.path(), id, null))
                .build();
    }

    private static final String UNEXPECTED = "Something went wrong; quote the correlation id when you report it";

    /** What {@link #unexpected} answers, for a route of the router's own: logged with its id, then a 500. */
    public static void unexpected(RoutingContext context, Throwable e) {
        HttpServerRequest request = context.request();
        LOG.errorf(e, "Unexpected error on %s %s [correlationId=%s]", request.method(), request.path(),
                correlationId(request));
        respond(context, 500, "Internal server error", UNEXPECTED, null, Map.of());
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException format) {
            return "Field '" + path(format) + "' has the wrong type";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "Field '" + path(mapping) + "' has the wrong type or shape";
        }
        if (e instanceof JsonParseException) {
            return "The body is not valid JSON";
        }
        return "The body does not match the expected JSON document";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private Response problem(HttpServerRequest request, int status, String title, String detail,
            List<Violation> errors) {
        return builder(request, status, title, detail, errors).build();
    }

    private Response.ResponseBuilder builder(HttpServerRequest request, int status, String title, String detail,
            List<Violation> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, request.path(), correlationId(request),
                        errors));
    }

    /**
     * Answers a problem straight from an HTTP filter, before any resource runs (413, the CORS 403, 429),
     * with the same document and correlation id as the mappers give; {@code headers} are added as given.
     */
    public static void respond(RoutingContext context, int status, String title, String detail,
            Map<String, String> headers) {
        respond(context, status, title, detail, null, headers);
    }

    /** As above, with the violations of an invalid input (null for none). */
    public static void respond(RoutingContext context, int status, String title, String detail,
            List<Violation> errors, Map<String, String> headers) {
        Problem problem = new Problem("about:blank", title, status, detail, context.request().path(),
                correlationId(context.request()), errors);
        HttpServerResponse response = context.response().setStatusCode(status)
                .putHeader("Content-Type", Problem.MEDIA_TYPE);
        headers.forEach(response::putHeader);
        response.end(Json.encode(problem));
    }

    /** What the mapper of an invalid input answers, for a route of the router's own: a 400 with its violations. */
    public static void invalid(RoutingContext context, InvalidInputException e) {
        respond(context, 400, "Invalid input", describe(e), e.violations(), Map.of());
    }

    /** The caller's request id when it sent a sane one, so its logs and ours meet; otherwise a new one. */
    public static String correlationId(HttpServerRequest request) {
        String given = request.getHeader(REQUEST_ID_HEADER);
        if (given != null && given.length() <= 64 && given.matches("[A-Za-z0-9._:-]+")) {
            return given;
        }
        // a correlation id needs to be unique, not unguessable: no secure random on every request's path
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
