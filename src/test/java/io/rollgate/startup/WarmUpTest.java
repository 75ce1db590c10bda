package io.rollgate.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void warmUpAsksLikeTheWidgetHalfForCustomersWithoutADocumentAndInEveryOrganization() {
        List<String> uris = WarmUp.uris(List.of("c-1", "c-2", "c-3"), List.of("org-a", "org-b"));

        long unknown = uris.stream().filter(uri -> uri.contains("customerId=rollgate-warm-up-")).count();
        assertEquals(uris.size() / 2, unknown, "every other request is a customer without a document");
        // each of those is a customer not asked for before, so each request renders an answer
        assertEquals(unknown, uris.stream().filter(uri -> uri.contains("customerId=rollgate-warm-up-"))
                .map(uri -> uri.replaceAll("&.*", "")).distinct().count());
        Set<String> known = uris.stream().filter(uri -> !uri.contains("rollgate-warm-up-"))
                .map(uri -> uri.replaceAll(".*customerId=([^&]+).*", "$1")).collect(Collectors.toSet());
        assertEquals(Set.of("c-1", "c-2", "c-3"), known);
        assertTrue(uris.stream().anyMatch(uri -> uri.endsWith("organizationId=org-a")));
        assertTrue(uris.stream().anyMatch(uri -> uri.endsWith("organizationId=org-b")));
        assertTrue(uris.stream().allMatch(uri -> uri.startsWith("/api/widget/config?customerId=")));
    }

    @Test
    void theJitHasSettledOnceItCompiledForLessThanATenthOfThreeSeconds() {
        // read once a second: 1-2.5 s of compiling a second while the replica warms up, then almost none
        assertFalse(WarmUp.settled(new ArrayDeque<>(List.of(9_000L, 10_400L, 11_900L, 12_300L))));
        assertFalse(WarmUp.settled(new ArrayDeque<>(List.of(12_300L, 12_320L, 12_330L))), "three seconds first");
        assertTrue(WarmUp.settled(new ArrayDeque<>(List.of(12_300L, 12_320L, 12_330L, 12_420L))));
        assertFalse(WarmUp.settled(new ArrayDeque<>(List.of(12_300L, 12_320L, 12_330L, 12_600L))),
                "300 ms in three seconds is still compiling");
    }

    @Test
    void withoutDocumentsItStillRendersAndNamesNoOrganization() {
        List<String> uris = WarmUp.uris(List.of(), List.of());

        assertTrue(uris.size() > 1000, "enough renders for the JIT to compile rendering");
        assertTrue(uris.stream().allMatch(uri -> uri.contains("customerId=rollgate-warm-up-")));
        assertTrue(uris.stream().noneMatch(uri -> uri.contains("organizationId")));
    }
}
