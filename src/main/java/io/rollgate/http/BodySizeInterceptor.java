package io.rollgate.http;

import io.rollgate.errors.PayloadTooLargeException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body limit for bodies that declare no length (chunked): {@link BodyLimitFilter} refuses a declared
 * oversized body before it is read, the HTTP layer caps every body at its own (larger) limit, and this counts
 * what is read so a chunked body gets no more than a declared one would.
 */
@Provider
public class BodySizeInterceptor implements ReaderInterceptor {

    private final BodyLimitFilter limits;

    @Context
    HttpServerRequest request;

    public BodySizeInterceptor(BodyLimitFilter limits) {
        this.limits = limits;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        long limit = limits.limitFor(request.path());
        context.setInputStream(new Bounded(context.getInputStream(), limit));
        return context.proceed();
    }

    /** Counts the bytes read and refuses the body once they pass the limit. */
    private static final class Bounded extends FilterInputStream {

        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
            }
        }
    }
}
