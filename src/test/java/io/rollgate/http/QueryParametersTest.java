package io.rollgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The widget route reads its two ids from the raw query exactly as Vert.x's parsed parameters gave them. */
class QueryParametersTest {

    private static final List<String> QUERIES = List.of("customerId=c-1&organizationId=o-1",
            "organizationId=o-1&customerId=c-1", "customerId=c-1&customerId=c-2", "CUSTOMERID=c-1&OrganizationId=o",
            "customerId=&organizationId=o", "customerId&organizationId=o", "customerId=c%2D1&organizationId=o+1",
            "customer%49d=c-1", "customerId=c-1;organizationId=o-1", "x=1&&customerId=c-1&", "customerId=a=b",
            "customerId=c-1#organizationId=o-1", "customerIdx=c-1&xcustomerId=c-2", "", "&", "=",
            "customerId=%E2%82%AC",
            "organizationId=o&customerId=c-1&organizationId=p");

    @Test
    void givesWhatTheParsedParametersGive() {
        for (String query : QUERIES) {
            // what HttpServerRequest.params() does: Netty's decoder, ';' a separator, into a case-insensitive map
            MultiMap parsed = MultiMap.caseInsensitiveMultiMap();
            new QueryStringDecoder("/api/widget/config?" + query, StandardCharsets.UTF_8, true, 1024, false)
                    .parameters().forEach(parsed::add);
            for (String name : List.of("customerId", "organizationId")) {
                assertEquals(parsed.get(name), QueryParameters.parameter(query, name), query + " " + name);
            }
        }
        assertEquals(null, QueryParameters.parameter(null, "customerId"));
    }

    @Test
    void aBrokenEncodingIsReturnedAsSentForTheIdCheckToRefuse() {
        assertEquals("c%zz", QueryParameters.parameter("customerId=c%zz", "customerId"));
    }
}
