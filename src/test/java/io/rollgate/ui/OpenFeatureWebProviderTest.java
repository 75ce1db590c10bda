package io.rollgate.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A widget page on the customer's site (https://shop.example.com, the test profile's CORS origin) running the
 * published OpenFeature web SDK with the published OFREP web provider, polling off: it hears a flag change from
 * the service's event stream and shows the new value, with a configuration-changed event, within a second.
 */
@QuarkusTest
class OpenFeatureWebProviderTest {

    private static final Path BUNDLE = Path.of("target/browser/openfeature.bundle.js");
    private static final String SITE = "https://shop.example.com";
    private static HeadlessChromium chromium;
    private static Browser browser;

    @BeforeAll
    static void launchBrowser() {
        assertTrue(Files.exists(BUNDLE), "the build bundles the npm packages (src/test/browser/build.sh)");
        // the service listens on loopback here; in production it is a public host, which a public site may call
        chromium = HeadlessChromium.launch("--disable-features=LocalNetworkAccessChecks,"
                + "BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights");
        browser = chromium.browser();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private static String widgetPage(String flag) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
                <script src="/openfeature.bundle.js"></script></head><body><p id="value">?</p>
                <script>
                  window.changes = [];
                  (async () => {
                    const provider = new OFREPWebProvider({ baseUrl: 'http://127.0.0.1:8081', pollInterval: 0 });
                    await OpenFeature.setContext({ targetingKey: 'shop-visitor-1' });
                    await OpenFeature.setProviderAndWait(provider);
                    const client = OpenFeature.getClient();
                    const show = () => {
                      document.getElementById('value').textContent = String(client.getBooleanValue('%s', false));
                    };
                    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
                      window.changes.push({ at: Date.now(), flags: details.flagsChanged || [] });
                      show();
                    });
                    show();
                    window.ready = true;
                  })().catch((error) => { window.failure = String(error); });
                </script></body></html>
                """.formatted(flag);
    }

    @Test
    void aKillSwitchReachesAnOpenPageThroughTheEventStreamWithinASecond() throws Exception {
        String flag = "web-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("name", flag, "enabled", true, "defaultValue", true, "reason", "web provider test"))
                .post("/api/admin/flags").then().statusCode(201);
        Page page = browser.newPage();
        try {
            // the customer's site, served by the test itself: the page and the bundle, nothing from the network
            page.route(SITE + "/**", route -> {
                String url = route.request().url();
                if (url.endsWith("/openfeature.bundle.js")) {
                    route.fulfill(new Route.FulfillOptions().setContentType("text/javascript")
                            .setBodyBytes(read(BUNDLE)));
                } else {
                    route.fulfill(new Route.FulfillOptions().setContentType("text/html").setBody(widgetPage(flag)));
                }
            });
            page.onConsoleMessage(message -> System.out.println("browser console: " + message.text()));
            page.onRequestFailed(request -> System.out
                    .println("browser request failed: " + request.url() + " " + request.failure()));
            page.navigate(SITE + "/checkout");
            page.waitForFunction("() => window.ready || window.failure");
            assertEquals(null, page.evaluate("() => window.failure ?? null"));
            assertEquals("true", page.textContent("#value"));

            long before = ((Number) page.evaluate("() => Date.now()")).longValue();
            Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "kill"))
                    .post("/api/admin/feature-flags").then().statusCode(200);
            page.waitForFunction("() => document.getElementById('value').textContent === 'false'", null,
                    new Page.WaitForFunctionOptions().setTimeout(5_000));
            Map<?, ?> change = (Map<?, ?>) page.evaluate("() => window.changes[0]");
            long millis = ((Number) change.get("at")).longValue() - before;
            System.out.printf("the OFREP web provider heard the kill switch %d ms after the admin call%n", millis);
            assertTrue(((List<?>) change.get("flags")).contains(flag), "the event names the changed flag: " + change);
            assertTrue(millis < 1_000, "heard within a second: " + millis + " ms");
        } finally {
            page.close();
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
