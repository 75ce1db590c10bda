package io.rollgate.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Events;
import io.rollgate.support.Overrides;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin UI in Debian's headless Chromium, driven by Playwright: what an operator does, with a
 * screenshot of each page in target/ui-screenshots.
 */
@QuarkusTest
class AdminUiTest {

    /** A flag page's read of its history: held back, it keeps a live redraw of the page from finishing. */
    private static final Pattern HISTORY_READ = Pattern.compile(".*/api/admin/audit\\?.*");

    private static final Path SCREENSHOTS = Path.of("target/ui-screenshots");
    private static HeadlessChromium chromium;
    private static Browser browser;

    @TestHTTPResource("/admin/index.html")
    URL ui;

    private Page page;
    private final List<String> flags = new ArrayList<>();
    private final List<String> segments = new ArrayList<>();
    private final List<String> policyViolations = new ArrayList<>();
    private final List<String> nativeDialogs = new ArrayList<>();
    private final List<String> pageErrors = new ArrayList<>();
    private final List<String> notFound = new ArrayList<>();

    @BeforeAll
    static void launchBrowser() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        chromium = HeadlessChromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void openPage() {
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1366, 900));
        // reasons and confirmations are asked in the page, never by the browser's own dialogs
        page.onDialog(dialog -> {
            nativeDialogs.add(dialog.type() + ": " + dialog.message());
            dialog.dismiss();
        });
        page.onPageError(error -> pageErrors.add(error));
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                policyViolations.add(message.text());
            }
            // a refusal (400, 409) is a page's answer to an operator; a missing resource is the page's own mistake
            if ("error".equals(message.type()) && message.text().contains("status of 404")) {
                notFound.add(message.text() + " at " + page.url());
            }
        });
    }

    @AfterEach
    void closePage() {
        page.close();
        // the test's flags go first: a flag left behind would change what other tests' anonymous configs say
        flags.forEach(flag -> Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag));
        // then the segments, which no flag names any more
        segments.forEach(segment -> Api.admin().queryParam("reason", "test cleanup")
                .delete("/api/admin/segments/{k}", segment));
        // every page every test visited kept to the policy (no inline script or style, nothing from elsewhere)
        assertEquals(List.of(), policyViolations);
        assertEquals(List.of(), nativeDialogs);
        assertEquals(List.of(), pageErrors);
        assertEquals(List.of(), notFound);
    }

    /** A flag of this test's own (removed after it), in the ui-test group. */
    private String newFlag(String prefix) {
        String flag = prefix + UUID.randomUUID().toString().substring(0, 8);
        flags.add(flag);
        Api.admin().body(Map.of("name", flag, "group", "ui-test", "reason", "UI test")).post("/api/admin/flags")
                .then().statusCode(201);
        return flag;
    }

    /** Signs in as an admin and shows the flag's page, once {@code drawn} is on it and live updates are on. */
    private void showLive(String flag, String drawn) {
        signIn(Api.ADMIN_TOKEN);
        page.navigate(page.url().replaceAll("#.*$", "") + "#/flag/" + flag);
        page.waitForSelector(drawn);
        page.waitForSelector("#live:has-text('Live')");
    }

    /**
     * Another operator turns {@code flag} on or off for everyone while the page's history read is held back: the
     * page is being drawn again until {@link #release} lets the read go on. Returns the held reads.
     */
    private List<Route> changeWhileDrawing(String flag, boolean enabled) {
        List<Route> held = new ArrayList<>();
        page.route(HISTORY_READ, held::add);
        Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", enabled, "reason", "another operator"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        page.waitForCondition(() -> !held.isEmpty());
        return held;
    }

    private void release(List<Route> held) {
        page.unroute(HISTORY_READ);
        held.forEach(Route::resume);
    }

    /** Answers the page's reason dialog, after checking it says what the change will do. */
    private void giveReason(String reason, String consequence) {
        page.waitForSelector("dialog#ask[open]");
        assertTrue(page.textContent("#ask-consequence").contains(consequence), page.textContent("#ask-consequence"));
        page.getByLabel("Reason (recorded in the audit trail)").fill(reason);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Confirm")).click();
        page.waitForSelector("dialog#ask:not([open])", new Page.WaitForSelectorOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
    }

    private void click(String name) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true)).click();
    }

    /** The lifecycle buttons the rollout page offers, in order. */
    private List<String> lifecycleButtons() {
        return page.locator("#lifecycle button").allTextContents();
    }

    private void signIn(String token) {
        page.navigate(ui.toString());
        page.getByLabel("API token").fill(token);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForSelector("#nav:not([hidden])");
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    private String startedRollout(int minSamples) {
        String flag = newFlag("ui-");
        Api.admin()
                .body(Map.of("reason", "test", "featureName", flag, "rollbackThreshold",
                        Map.of("minSamples", minSamples,
                                "consecutiveBreaches", 100)))
                .post("/api/admin/rollouts").then().statusCode(201);
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        return flag;
    }

    private String row(String flag) {
        return "tr[data-flag=\"" + flag + "\"]";
    }

    @Test
    void theUiIsRevalidatedOnEveryLoadAndMayRunOnlyItsOwnScripts() {
        for (String file : List.of("/admin/index.html", "/admin/main.js", "/admin/app.css", "/admin/favicon.svg")) {
            io.restassured.response.Response answer = io.restassured.RestAssured.given().get(file);
            answer.then().statusCode(200).header("Cache-Control", "no-cache")
                    .header("X-Frame-Options", "DENY");
            String policy = answer.header("Content-Security-Policy");
            assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline")
                    && policy.contains("frame-ancestors 'none'"), policy);
        }
    }

    @Test
    void signInShowsTheFlagsGroupedByPhaseAndAViewerIsOfferedNoChanges() {
        page.navigate(ui.toString());
        // before sign-in, nothing but the form
        assertTrue(!page.isVisible("#nav") && !page.isVisible("#sign-out") && !page.isVisible("#view"));
        screenshot("sign-in");
        page.getByLabel("API token").fill("wrong-token");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForSelector("#sign-in-error:has-text('not accepted')");

        signIn(Api.ADMIN_TOKEN);
        page.waitForSelector("#phase-phase1");
        assertTrue(page.isVisible("#phase-phase2"));
        assertTrue(page.isVisible(row("sessionPersistence.phase1.parentStorage")));
        // the groups read as one table: each column starts at the same place in every group
        for (String column : List.of("Kill switch", "Rollout", "Actions")) {
            List<Object> lefts = page.locator("#view table thead th:text-is('" + column + "')").all().stream()
                    .map(header -> (Object) Math.round(header.boundingBox().x)).distinct().toList();
            assertEquals(1, lefts.size(), column + " starts at " + lefts);
        }
        screenshot("flags");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        // signed out, nothing of the session is left on the page
        assertEquals("", page.inputValue("#token"));
        assertEquals("", page.textContent("#who"));
        assertTrue(!page.isVisible("#nav") && page.locator("#view *").count() == 0);
        signIn(Api.VIEWER_TOKEN);
        page.waitForSelector("#phase-phase1");
        assertTrue(page.isDisabled("input[data-kill=\"sessionPersistence.phase1.parentStorage\"]"));
        assertEquals(0, page.locator("button[data-advance]").count());
    }

    @Test
    void aChangeMadeByAnotherOperatorShowsWithoutAReload() {
        String flag = newFlag("ui-live-");
        signIn(Api.ADMIN_TOKEN);
        String kill = "input[data-kill=\"" + flag + "\"]";
        page.waitForSelector(kill);
        assertTrue(page.isChecked(kill));
        page.waitForSelector("#live:has-text('Live')");

        // someone else kills it through the API: the open page follows within seconds, no reload
        Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "another operator"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        page.waitForSelector(kill + ":not(:checked)", new Page.WaitForSelectorOptions().setTimeout(5_000));
        page.waitForSelector("#live:has-text('updated')");
        screenshot("flags-live");
    }

    @Test
    void aLiveChangeWaitsForTheEditsAnOperatorHasNotSavedYet() {
        String flag = newFlag("ui-draft-");
        String other = newFlag("ui-draft-");
        showLive(flag, "#flag-form");
        page.getByLabel("Description").fill("Typed, not saved");
        // focus leaves the field: the operator is not typing any more, but the edit is not saved
        page.click("#view h2");

        // another operator's change arrives; drawing the page again would put the stored description back
        Api.admin().body(Map.of("global", true, "featureName", other, "enabled", false, "reason", "another operator"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        page.waitForSelector("#live:has-text('once your edits are saved')");
        assertEquals("Typed, not saved", page.inputValue("#flag-description"));

        click("Save");
        giveReason("Draft test", "definition is replaced");
        page.waitForSelector("#view section.card:first-child:has-text('Typed, not saved')");
        // nothing left unsaved: the change that waited is shown
        page.waitForSelector("#live:has-text('updated')");
        Api.viewer().get("/api/admin/flags/{n}", flag).then().body("description",
                org.hamcrest.Matchers.equalTo("Typed, not saved"));
    }

    @Test
    void aLiveChangeKeepsAQuestionTypedButNotAskedAndTheClickThatAsksIt() {
        String flag = newFlag("ui-ask-");
        String other = newFlag("ui-ask-");
        showLive(flag, "#flag-explain");
        page.getByLabel("Customer id").fill("typed-1");
        page.click("#view h2");

        // a search is no edit to save, so the change is drawn at once, with the words typed still there
        Api.admin().body(Map.of("global", true, "featureName", other, "enabled", false, "reason", "another operator"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        page.waitForSelector("#live:has-text('updated')");
        assertEquals("typed-1", page.inputValue("#explain-customer"));

        // a change arriving while Explain is held down waits for the release, so the click still asks
        page.locator("#flag-explain button[type=submit]").hover();
        page.mouse().down();
        Api.admin().body(Map.of("global", true, "featureName", other, "enabled", true, "reason", "another operator"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        page.waitForSelector("#live:has-text('a change arrived')");
        page.mouse().up();
        page.waitForSelector("#flag-explained li:has-text('kill switch passed')");
        page.waitForSelector("#live:has-text('updated')");
        assertEquals("typed-1", page.inputValue("#explain-customer"));
    }

    @Test
    void aPageBeingDrawnAgainWhenTheOperatorActsOnItStaysAsTheyFoundIt() {
        String flag = newFlag("ui-act-");
        String other = newFlag("ui-act-");
        showLive(flag, "#flag-explain");
        // the page's history is held back, so the operator acts on the page while a change is being drawn
        List<Route> held = changeWhileDrawing(other, false);
        page.getByLabel("Customer id").fill("acting-1");
        release(held);
        page.waitForSelector("#live:has-text('a change arrived')");
        assertEquals("acting-1", page.inputValue("#explain-customer"));
        page.waitForResponse(response -> response.url().contains("customerId=acting-1"), () -> click("Explain"));
        page.waitForSelector("#live:has-text('updated')");
        assertEquals("acting-1", page.inputValue("#explain-customer"));

        // a button pressed while the page is being drawn is not drawn over: the click asks
        page.getByLabel("Customer id").fill("acting-2");
        page.click("#view h2");
        held = changeWhileDrawing(other, true);
        page.locator("#flag-explain button[type=submit]").hover();
        page.mouse().down();
        release(held);
        page.waitForSelector("#live:has-text('a change arrived')");
        page.waitForResponse(response -> response.url().contains("customerId=acting-2"), () -> page.mouse().up());
        page.waitForSelector("#live:has-text('updated')");
    }

    @Test
    void aPhoneWidthAndDarkModeKeepEverythingOnScreen() {
        String flag = startedRollout(5);
        String service = "ui-phone-" + UUID.randomUUID().toString().substring(0, 6);
        Api.admin().body(Map.of("reason", "phone", "version", "v2")).post("/api/admin/canary/{s}/deployments", service)
                .then().statusCode(201);
        page.close();
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(390, 844)
                .setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
        page.onPageError(error -> pageErrors.add(error));
        try {
            signIn(Api.ADMIN_TOKEN);
            page.waitForSelector("#phase-phase1");
            // every page: nothing wider than the screen, a compact header, Sign out reachable
            Map<String, String> pages = new java.util.LinkedHashMap<>();
            pages.put("#/flags", "#phase-phase1");
            pages.put("#/flag/" + flag, "h2:has-text('Flag')");
            pages.put("#/rollouts/" + flag, "h2:has-text('Rollout of')");
            pages.put("#/lookup?customerId=phone-customer", "tr[data-flag]");
            pages.put("#/audit", "#audit-body tr");
            pages.put("#/canary?service=" + service, "#canary-state h3");
            pages.put("#/tokens", "#token-rows tr");
            for (Map.Entry<String, String> visit : pages.entrySet()) {
                page.navigate(ui.toString() + visit.getKey());
                page.waitForSelector(visit.getValue());
                int width = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
                assertTrue(width <= 390, visit.getKey() + " is " + width + " px wide");
                var header = page.locator("header").boundingBox();
                assertTrue(header.height <= 844 * 0.12, visit.getKey() + ": the header takes " + header.height + " px");
                var signOut = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                        .boundingBox();
                assertTrue(signOut.x + signOut.width <= 390, "Sign out at " + signOut.x);
                screenshot("390px-" + visit.getKey().replaceAll("[^a-z]+", "-"));
            }
            // a table's rows read as stacked cells, each under its column's name
            page.navigate(ui.toString() + "#/flags");
            page.waitForSelector(row(flag) + " td[data-label='Kill switch']");
        } finally {
            Api.admin().body(Map.of("reason", "cleanup")).post("/api/admin/canary/{s}/rollback", service);
        }
    }

    @Test
    void aLiveChangeWhileScrolledDownKeepsThePlaceAndTheFocus() {
        String watched = newFlag("zz-ui-scroll-");
        String changed = newFlag("ui-scroll-other-");
        signIn(Api.ADMIN_TOKEN);
        String kill = "input[data-kill=\"" + watched + "\"]";
        page.waitForSelector(kill);
        page.waitForSelector("#live:has-text('Live')");
        page.locator(kill).scrollIntoViewIfNeeded();
        page.locator(kill).focus();
        int before = ((Number) page.evaluate("() => window.scrollY")).intValue();
        assertTrue(before > 500, "scrolled down: " + before);
        Api.admin().body(Map.of("global", true, "featureName", changed, "enabled", false, "reason", "someone else"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        page.waitForSelector("input[data-kill=\"" + changed + "\"]:not(:checked)");
        page.waitForSelector("#live:has-text('updated')");
        int after = ((Number) page.evaluate("() => window.scrollY")).intValue();
        assertTrue(Math.abs(after - before) <= 2, "scroll " + before + " -> " + after);
        assertEquals(watched, page.evaluate("() => document.activeElement.dataset.kill"));
        // the header stays in reach, and the tab and nav say which page this is
        assertTrue(page.locator("header").boundingBox().y >= 0);
        assertEquals("Flags — Rollgate", page.title());
        page.navigate(ui.toString() + "#/flag/" + watched);
        page.waitForSelector("h2:has-text('Flag " + watched + "')");
        assertEquals("Flag " + watched + " — Rollgate", page.title());
        assertEquals("Flags", page.textContent("nav a[aria-current='page']"));
        assertEquals(0, ((Number) page.evaluate("() => window.scrollY")).intValue(), "a new page starts at its top");
    }

    @Test
    void aFlagKilledLongEnoughIsMarkedPotentiallyStaleInTheList() throws Exception {
        String flag = newFlag("ui-stale-");
        Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "done"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        // stale after 2 s, worked out every second in the test profile
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> Api.viewer().get("/api/admin/flags/{n}", flag).path("staleReason") != null,
                "the flag to be reported stale");
        signIn(Api.ADMIN_TOKEN);
        page.waitForSelector(row(flag) + " .stale");
        assertTrue(page.textContent(row(flag)).contains("Potentially stale: killed since"));
    }

    @Test
    void anOverrideSetInTheLookupShowsInTheAuditTrail() {
        String customer = TestIds.customer();
        signIn(Api.ADMIN_TOKEN);
        page.navigate(ui.toString() + "#/lookup");
        page.getByLabel("Customer id").fill(customer);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resolve")).click();
        page.getByLabel("customer override of sessionPersistence.phase2.enhancedStorage").selectOption("true");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save overrides")).click();
        giveReason("Beta access from the UI", "sessionPersistence.phase2.enhancedStorage → on");
        page.waitForSelector(row("sessionPersistence.phase2.enhancedStorage") + " td.on");
        assertTrue(page.textContent(row("sessionPersistence.phase2.enhancedStorage")).contains("customer_override"));
        // why: each step in order, the deciding one naming the document and the leaf
        page.locator(row("sessionPersistence.phase2.enhancedStorage") + " summary:text-is('Why')").click();
        String why = page.textContent(row("sessionPersistence.phase2.enhancedStorage") + " details.why ol");
        assertTrue(why.contains("kill switch passed: not switched off") && why.contains("customer override decided: "
                + "customer " + customer + "'s document sets sessionPersistence.phase2.enhancedStorage to true"), why);
        // the rows filter by key
        page.getByLabel("Show flags containing").fill("enhancedStorage");
        assertEquals(1, page.locator("tr[data-flag]:visible").count());
        screenshot("lookup");

        page.navigate(ui.toString() + "#/audit");
        page.getByLabel("Customer id").fill(customer);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
        // the unfiltered trail shows the entry too, until the filtered one replaces it: wait for the filtered count
        page.waitForSelector("#audit-rows .pager .hint:text-is('Entries 1-1 of 1')");
        String entries = page.textContent("#audit-body");
        assertTrue(entries.contains("Beta access from the UI")
                && entries.contains("sessionPersistence.phase2.enhancedStorage"), entries);
        screenshot("audit");
    }

    @Test
    void anAdvanceMovesTheTierAndARefusalShowsTheUnmetCriteria() throws Exception {
        String ready = startedRollout(5);
        String notReady = startedRollout(1000);
        Events.send(Events.outcomes(ready, 20, 0));
        Events.awaitStats(ready, "criteria.findAll { !it.met }.size()", 0, "every criterion of " + ready + " met");
        signIn(Api.ADMIN_TOKEN);
        page.waitForSelector(row(ready));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Advance " + notReady)).click();
        giveReason("Advance from the UI test", "whitelisted customers only -> 10 % of customers");
        page.waitForSelector("[data-criteria=\"" + notReady + "\"] .criteria li");
        // the refusal stays on screen until dismissed
        page.waitForSelector("#alerts .alert");
        String alert = page.textContent("#alerts .alert");
        assertTrue(alert.contains("tier 1 · internal") && !alert.contains("tier_1"), alert);
        String refusal = page.textContent("[data-criteria=\"" + notReady + "\"]");
        // each unmet criterion in words, not the API's names
        assertTrue(refusal.matches("(?s).*Samples: needs >= \\d+ success/error events, is 0.*"), refusal);
        screenshot("advance-refused");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Advance " + ready)).click();
        giveReason("Advance from the UI test", "-> 10 % of customers");
        page.waitForSelector(row(ready) + ":has-text('tier 2 · early adopters')");
        screenshot("advanced");
        Api.viewer().get("/api/admin/rollouts/{f}", ready).then().statusCode(200)
                .body("tier", org.hamcrest.Matchers.equalTo(2));

        // its page charts the events with axes, times and the rate the rollout responds at
        page.navigate(ui.toString() + "#/rollouts/" + ready);
        // a horizontal line has no height: attached, not "visible"
        page.waitForSelector("svg.chart line.threshold", new Page.WaitForSelectorOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        assertTrue(page.locator("svg.chart .axis text").count() >= 5);
        // one model: the policy the check applies (here a threshold's equivalent, waiting for 100 checks in a row)
        assertTrue(page.textContent("#against-policy").contains("roll back above 5.00%; needs 5 samples"),
                page.textContent("#against-policy"));
        assertTrue(page.textContent("#against-policy").contains("checks above in a row 0 of 100"),
                page.textContent("#against-policy"));
        assertTrue(page.textContent("svg.chart").matches("(?s).*\\d{1,2}:\\d{2}.*"), page.textContent("svg.chart"));
        // the axis times say their zone
        assertTrue(page.textContent("svg.chart + p.hint").matches("(?s).*Times in \\S+\\.$"),
                page.textContent("svg.chart + p.hint"));
        screenshot("rollout-chart");
    }

    @Test
    void aRollbackAsksForAReasonAndConfirmation() {
        String flag = startedRollout(5);
        signIn(Api.ADMIN_TOKEN);
        page.navigate(ui.toString() + "#/rollouts/" + flag);
        page.waitForSelector("h2:has-text('Rollout of " + flag + "')");
        // a rollout created with a breach streak shows that threshold's equivalent policy
        assertTrue(page.textContent("table.policy").contains("5.00% errors, on 100 checks in a row"),
                page.textContent("table.policy"));
        screenshot("rollout-detail");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rollback")).click();
        giveReason("Rollback from the UI test", "turns off for every customer at once");
        page.waitForSelector(".stat:has-text('rolled back')");
        page.waitForSelector(".stat:has-text('Rollbacks') b:text-is('1')");
        assertEquals("Rollback from the UI test", TestDatabase.query("SELECT reason FROM feature_flag_changes "
                + "WHERE flag_path = ? AND action = 'rollout.rollback'", flag).get(0).get("reason"));

        page.navigate(ui.toString() + "#/canary");
        page.getByLabel("Service").fill("ui-checkout");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show")).click();
        page.waitForSelector("#canary-state");
        screenshot("canary");
    }

    @Test
    void aRolloutGoesThroughItsWholeLifecycleWithOnlyTheStepsItsStateAllows() {
        String flag = newFlag("ui-life-");
        signIn(Api.ADMIN_TOKEN);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Create a rollout of " + flag)).click();
        // the quick start's first step: the internal customers and the policy, one rate named, the rest the defaults
        page.getByLabel("Whitelisted customers, one a line (tier 1 reaches only them)").fill("staff-1\nstaff-2");
        page.getByLabel("Roll back above (% errors)").fill("2");
        page.getByLabel("Over the last (minutes)").fill("30");
        screenshot("rollout-create");
        click("Create rollout");
        giveReason("Lifecycle from the UI", "draft at tier 0");
        page.waitForSelector("#lifecycle button");
        assertEquals(List.of("Start"), lifecycleButtons());
        Api.viewer().get("/api/admin/rollouts/{f}", flag).then().statusCode(200)
                .body("whitelistedCustomers", org.hamcrest.Matchers.equalTo(List.of("staff-1", "staff-2")))
                .body("policy.rollbackErrorRate", org.hamcrest.Matchers.equalTo(0.02f))
                .body("policy.pauseErrorRate", org.hamcrest.Matchers.equalTo(0.02f))
                .body("policy.rollbackAfter", org.hamcrest.Matchers.equalTo(1))
                .body("rollbackThreshold.timeWindow", org.hamcrest.Matchers.equalTo(1_800_000));
        screenshot("rollout-draft");

        click("Start");
        giveReason("Lifecycle from the UI", "whitelisted customers only");
        page.waitForSelector(".stat:has-text('Status') b:text-is('active')");
        assertEquals(List.of("Advance", "Force advance", "Pause", "Rollback"), lifecycleButtons());
        // beside Advance, how long the rollout must still stay in its tier (2 s in tests), counting down
        String left = page.textContent(".stat:has-text('Time left in tier') b");
        assertTrue(left.matches("[0-2] s|none: long enough"), left);
        assertTrue(page.textContent(".stat:has-text('Time left in tier') .hint").matches("may advance from .*\\d.*"));
        page.waitForSelector(".stat:has-text('Time left in tier') b:text-is('none: long enough')");

        click("Pause");
        giveReason("Lifecycle from the UI", "keep what they have");
        page.waitForSelector(".stat:has-text('Status') b:text-is('paused')");
        assertEquals(List.of("Resume", "Rollback"), lifecycleButtons());
        click("Resume");
        giveReason("Lifecycle from the UI", "watches it again");
        page.waitForSelector(".stat:has-text('Status') b:text-is('active')");

        click("Force advance");
        giveReason("Forced from the UI", "whitelisted customers only -> 10 % of customers without meeting");
        page.waitForSelector(".stat:has-text('Reaches') b:text-is('10 % of customers')");

        click("Rollback");
        giveReason("Lifecycle from the UI", "10 % of customers -> no customers");
        page.waitForSelector(".stat:has-text('Status') b:text-is('rolled back')");
        assertEquals(List.of("Restart"), lifecycleButtons());
        screenshot("rollout-rolled-back");
        click("Restart");
        giveReason("Lifecycle from the UI", "starts again at tier 1");
        page.waitForSelector(".stat:has-text('Status') b:text-is('active')");

        Api.viewer().get("/api/admin/rollouts/{f}", flag).then().statusCode(200)
                .body("tier", org.hamcrest.Matchers.equalTo(1)).body("status", org.hamcrest.Matchers.equalTo("active"));
        // the audit says what each step moved
        page.navigate(ui.toString() + "#/audit?subjectType=rollout&flagPath=" + flag);
        page.waitForSelector("#audit-body td:has-text('rollout advance forced')");
        assertTrue(page.textContent("#audit-body").contains("tier: 1 → 2"), page.textContent("#audit-body"));
        assertTrue(page.textContent("#audit-body").contains("percentage: 1 → 10"), page.textContent("#audit-body"));
        List<Object> actions = TestDatabase.query("SELECT action FROM feature_flag_changes WHERE subject_type = "
                + "'rollout' AND flag_path = ? ORDER BY id", flag).stream().map(r -> r.get("action")).toList();
        assertEquals(List.of("rollout.create", "rollout.start", "rollout.pause", "rollout.resume",
                "rollout.advance.forced", "rollout.rollback", "rollout.restart"), actions);
    }

    @Test
    void aDoubleClickSendsOneRequestAndAChangeBySomeoneElseOffersAReload() {
        String flag = startedRollout(5);
        signIn(Api.ADMIN_TOKEN);
        List<String> pauses = new ArrayList<>();
        page.onRequest(request -> {
            if ("POST".equals(request.method()) && request.url().endsWith("/" + flag + "/pause")) {
                pauses.add(request.url());
            }
        });
        page.navigate(ui.toString() + "#/rollouts/" + flag);
        page.waitForSelector("#lifecycle button:text-is('Pause')");
        page.locator("#lifecycle button:text-is('Pause')").dblclick();
        giveReason("Double click from the UI", "keep what they have");
        page.waitForSelector(".stat:has-text('Status') b:text-is('paused')");
        assertEquals(1, pauses.size(), pauses.toString());

        // the page read version n; another operator resumes it meanwhile; this page's Resume is refused
        click("Resume");
        page.waitForSelector("dialog#ask[open]");
        Api.admin().body(Map.of("reason", "another operator")).post("/api/admin/rollouts/{f}/resume", flag).then()
                .statusCode(200);
        page.getByLabel("Reason (recorded in the audit trail)").fill("Stale resume from the UI");
        click("Confirm");
        page.waitForSelector("#alerts .alert:has-text('Someone else changed it')");
        screenshot("rollout-conflict");
        page.locator("#alerts .alert button:text-is('Reload')").click();
        page.waitForSelector(".stat:has-text('Status') b:text-is('active')");
        assertEquals(0, page.locator("#alerts .alert").count());
        assertEquals(0, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? AND reason = ?",
                flag, "Stale resume from the UI").size(), "the refused change left no audit row");
    }

    @Test
    void theAuditIsPagedAndItsFiltersLiveInTheUrl() {
        String customer = TestIds.customer();
        for (int i = 0; i < 55; i++) {
            Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", i % 2 == 0), "paging " + i))
                    .patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        }
        signIn(Api.ADMIN_TOKEN);
        // a shared link opens the filtered view
        page.navigate(ui.toString() + "#/audit?customerId=" + customer);
        page.waitForSelector("#audit-rows .pager:has-text('Entries 1-50 of 55')");
        assertEquals(customer, page.inputValue("#audit-customerId"));
        assertEquals("Audit — Rollgate", page.title());
        assertEquals("page", page.getAttribute("nav a[href='#/audit']", "aria-current"));
        page.locator("#audit-rows .pager").first().getByText("Older").click();
        page.waitForSelector("#audit-rows .pager:has-text('Entries 51-55 of 55')");
        assertTrue(page.url().contains("page=1"), page.url());
        // the oldest entry, in words: what the customer was served before, and what it is set to
        assertTrue(page.textContent("#audit-body tr:last-child").contains("→ on"),
                page.textContent("#audit-body tr:last-child"));
        screenshot("audit-paged");

        page.getByLabel("Action").fill("no-such-action");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
        page.waitForSelector("#audit-rows .pager:has-text('No entries')");
        assertTrue(page.url().contains("action=no-such-action") && page.url().contains("page=0"), page.url());
    }

    @Test
    void theFlagListSearchesAndFiltersWithTheWidgetPhasesFirst() {
        String plain = newFlag("ui-find-");
        String rolled = startedRollout(5);
        signIn(Api.ADMIN_TOKEN);
        page.waitForSelector(row(plain));
        List<String> groups = page.locator("#view section.card h3").allTextContents();
        assertEquals(List.of("phase1", "phase2", "phase3"), groups.subList(0, 3), groups.toString());

        page.getByLabel("Search").fill(plain);
        page.waitForSelector(row(rolled) + "[hidden]", new Page.WaitForSelectorOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        assertTrue(page.isVisible(row(plain)));
        assertTrue(page.textContent("#flag-count").startsWith("1 of "), page.textContent("#flag-count"));
        assertTrue(page.url().contains("q=" + plain), page.url());

        page.getByLabel("Search").fill("ui-");
        page.getByLabel("State").selectOption("rollout");
        page.waitForSelector(row(plain) + "[hidden]", new Page.WaitForSelectorOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        assertTrue(page.isVisible(row(rolled)));
        // the phases hold no ui- flag: their sections are hidden, not left empty
        assertTrue(!page.isVisible("#phase-phase1"));
        screenshot("flags-filtered");

        // the filtered view survives a reload from its URL
        page.reload();
        page.waitForSelector(row(rolled));
        assertEquals("rollout", page.inputValue("#flag-state"));
        assertTrue(!page.isVisible(row(plain)));
    }

    @Test
    void theFlagListFindsRolloutNamesAndShowsAFlagsOwnRamp() {
        String ramped = newFlag("ui-ramp-");
        Api.admin().body(Map.of("rolloutPercentage", 20, "reason", "ramp"))
                .put("/api/admin/flags/{n}/rollout-percentage", ramped).then().statusCode(200);
        signIn(Api.ADMIN_TOKEN);
        page.waitForSelector(row(ramped));
        // a flag ramped by its own percentage says so, and counts as rolling out
        assertTrue(page.textContent(row(ramped)).contains("ramp: 20 % of customers"), page.textContent(row(ramped)));
        page.getByLabel("State").selectOption("no-rollout");
        page.waitForSelector(row(ramped) + "[hidden]", new Page.WaitForSelectorOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        page.getByLabel("State").selectOption("");
        // the search finds a flag by its rollout name, as the seeds name them
        page.getByLabel("Search").fill("phase2_enhanced_storage");
        page.waitForSelector(row("sessionPersistence.phase1.parentStorage") + "[hidden]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        assertTrue(page.isVisible(row("sessionPersistence.phase2.enhancedStorage")));
        assertTrue(page.textContent("#flag-count").startsWith("1 of "), page.textContent("#flag-count"));
        // the value column says whose value it is
        assertTrue(page.textContent("#view thead").contains("Value (anonymous)"));
    }

    @Test
    void theConfigurationDocumentIsDownloadedAndAnEditedOneShowsItsPlanBeforeItIsApplied() throws Exception {
        String flag = newFlag("ui-code-");
        signIn(Api.ADMIN_TOKEN);
        page.navigate(ui.toString() + "#/code");
        com.microsoft.playwright.Download download = page.waitForDownload(() -> click("Download the document"));
        Path file = Files.createTempFile("rollgate-flags", ".json");
        download.saveAs(file);
        com.fasterxml.jackson.databind.node.ObjectNode document = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(file.toFile());
        assertTrue(document.path("flags").has(flag), "the download holds every flag");

        // edited as it would be in Git: one description changed
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.path("flags").path(flag)).put("description",
                "described in Git");
        Files.writeString(file, document.toPrettyString());
        page.setInputFiles("#code-file", file);
        click("Show the plan");
        page.waitForSelector("[data-plan='updated'] li:has-text('" + flag + "')");
        assertTrue(page.textContent("[data-plan='updated']").contains("description: \"\" → \"described in Git\"")
                || page.textContent("[data-plan='updated']").contains("description: — → \"described in Git\""),
                page.textContent("[data-plan='updated']"));
        assertEquals(1, page.locator("[data-plan='updated'] > li").count(), page.textContent("#code-plan"));
        Api.viewer().get("/api/admin/flags/{n}", flag).then().body("description", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.equalTo("described in Git")));
        screenshot("flags-as-code-plan");

        click("Apply 1 change");
        giveReason("Flags as code from the UI", "audited flag by flag");
        page.waitForSelector("#code-plan [role=status]:has-text('Applied')");
        Api.viewer().get("/api/admin/flags/{n}", flag).then().body("description",
                org.hamcrest.Matchers.equalTo("described in Git"));
        Files.deleteIfExists(file);
    }

    @Test
    void aFlagIsCreatedEditedAndDeletedFromItsOwnPageWithItsHistory() {
        String flag = "ui-edit-" + UUID.randomUUID().toString().substring(0, 8);
        flags.add(flag);
        signIn(Api.ADMIN_TOKEN);
        page.waitForSelector("#phase-phase1");
        page.getByText("New flag").click();
        page.getByLabel("Key (dots nest it in the widget config)").fill(flag);
        page.getByLabel("Group", new Page.GetByLabelOptions().setExact(true)).fill("ui-test");
        click("Add rule");
        page.getByLabel("Rule 1 type").selectOption("user");
        page.getByLabel("Rule 1 values").fill("customer-1, customer-2");
        click("Add rule");
        page.getByLabel("Rule 2 type").selectOption("attribute");
        page.getByLabel("Rule 2 attribute").fill("seats");
        page.getByLabel("Rule 2 operator").selectOption("lt");
        page.getByLabel("Rule 2 values").fill("many");
        click("Create");
        giveReason("Flag editor test", "A new flag");
        // the API's refusal names the wrong rule, kept beside the form
        page.waitForSelector("#flag-form .criteria:has-text('rules[1].value')");
        page.getByLabel("Remove rule 2").click();
        assertEquals(1, page.locator("#flag-rule-builder fieldset.rule").count());
        page.getByLabel("Environment values, one a line (staging=on)").fill("staging=on");
        page.getByLabel("Share of customers (0-100 %, empty for none)").fill("20");
        click("Create");
        giveReason("Flag editor test", "A new flag");
        page.waitForSelector("h2:text-is('Flag " + flag + "')");
        Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(200)
                .body("rolloutPercentage", org.hamcrest.Matchers.equalTo(20))
                .body("environmentDefaults.staging", org.hamcrest.Matchers.equalTo(true))
                .body("rules[0].value", org.hamcrest.Matchers.equalTo(List.of("customer-1", "customer-2")));

        page.getByLabel("Description").fill("Edited in the UI");
        page.getByLabel("Default value").selectOption("true");
        click("Save");
        giveReason("Flag editor edit", "definition is replaced");
        page.waitForSelector(".history li:has-text('flag update')");
        // a live redraw begun before the save may paint first; the page settles on the saved definition
        page.waitForSelector("#view section.card:first-child:has-text('Edited in the UI')");
        // the history says what the update changed, field by field, and only that
        String update = page.textContent(".history li:has-text('flag update') ul.diff");
        assertTrue(update.contains("description: \"\" → \"Edited in the UI\"") || update.contains(
                "description: — → \"Edited in the UI\""), update);
        assertTrue(update.contains("defaultValue: false → true"), update);
        assertEquals(2, page.locator(".history li:has-text('flag update') ul.diff li").count(), update);
        Api.viewer().get("/api/admin/flags/{n}", flag).then().body("defaultValue", org.hamcrest.Matchers.equalTo(true));
        screenshot("flag-page");

        click("Delete flag");
        giveReason("Flag editor delete", "removed");
        page.waitForSelector("#phase-phase1");
        Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(404);
    }

    @Test
    void aTypedFlagWithAttributeRulesKeepsItsRulesAndVariantsWhenEditedInTheUi() {
        String flag = "ui-typed-" + UUID.randomUUID().toString().substring(0, 8);
        flags.add(flag);
        List<Map<String, Object>> rules = List.of(
                Map.of("type", "attribute", "attribute", "plan", "operator", "in", "value",
                        List.of("enterprise", "pro"),
                        "variant", "purple"),
                Map.of("type", "group", "value", List.of("beta"), "split",
                        List.of(Map.of("variant", "blue", "weight", 30), Map.of("variant", "purple", "weight", 70))));
        Api.admin().body(Map.of("name", flag, "reason", "ui test", "type", "string", "variants",
                Map.of("blue", "#00f", "purple", "#f0f"), "defaultVariant", "blue", "rules", rules))
                .post("/api/admin/flags").then().statusCode(201);
        signIn(Api.ADMIN_TOKEN);
        page.navigate(page.url().replaceAll("#.*$", "") + "#/flag/" + flag);
        page.waitForSelector("td:has-text('plan in enterprise, pro -> purple')");
        page.waitForSelector("td:has-text('#f0f')");
        page.getByLabel("Description").fill("Edited with its variants");
        click("Save");
        giveReason("Typed flag edit", "definition is replaced");
        page.waitForSelector("#view section.card:first-child:has-text('Edited with its variants')");
        Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(200)
                .body("description", org.hamcrest.Matchers.equalTo("Edited with its variants"))
                .body("type", org.hamcrest.Matchers.equalTo("string"))
                .body("rules[0].operator", org.hamcrest.Matchers.equalTo("in"))
                .body("rules[0].variant", org.hamcrest.Matchers.equalTo("purple"))
                .body("rules[1].split.weight", org.hamcrest.Matchers.equalTo(List.of(30, 70)));
    }

    @Test
    void aTypedFlagWithAFiftyFiftySplitAndASegmentRuleIsBuiltInTheUiServedThroughOfrepAndExplained() {
        String segment = "ui-seg-" + UUID.randomUUID().toString().substring(0, 8);
        String flag = "ui-split-" + UUID.randomUUID().toString().substring(0, 8);
        segments.add(segment);
        flags.add(flag);
        signIn(Api.ADMIN_TOKEN);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Segments").setExact(true)).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New segment")).click();
        page.getByLabel("Key (flags name the segment by it)").fill(segment);
        page.getByLabel("Always in: targeting keys, one a line").fill("vip-1\nvip@example.com");
        click("Add rule");
        page.getByLabel("Rule 1 type").selectOption("attribute");
        page.getByLabel("Rule 1 attribute").fill("plan");
        page.getByLabel("Rule 1 operator").selectOption("equals");
        page.getByLabel("Rule 1 values").fill("enterprise");
        click("Create");
        giveReason("Segment in the UI", "A new audience");
        page.waitForSelector("h2:text-is('Segment " + segment + "')");

        page.navigate(page.url().replaceAll("#.*$", "") + "#/flag/new");
        page.getByLabel("Key (dots nest it in the widget config)").fill(flag);
        page.getByLabel("Group", new Page.GetByLabelOptions().setExact(true)).fill("ui-test");
        page.getByLabel("Type", new Page.GetByLabelOptions().setExact(true)).selectOption("string");
        page.getByLabel("Variant 1 name").fill("blue");
        page.getByLabel("Variant 1 value").fill("#00f");
        page.getByLabel("Variant 1 weight").fill("50");
        page.getByLabel("Variant 2 name").fill("green");
        page.getByLabel("Variant 2 value").fill("#0f0");
        page.getByLabel("Variant 2 weight").fill("50");
        click("Add variant");
        page.getByLabel("Variant 3 name").fill("purple");
        page.getByLabel("Variant 3 value").fill("#f0f");
        page.getByLabel("Default variant").selectOption("blue");
        click("Add rule");
        page.getByLabel("Rule 1 type").selectOption("segment");
        page.getByLabel("Rule 1 segments").selectOption(segment);
        page.getByLabel("Rule 1 serves").selectOption("purple");
        screenshot("typed-flag-editor");
        click("Create");
        giveReason("Typed flag in the UI", "A new flag");
        page.waitForSelector("h2:text-is('Flag " + flag + "')");
        Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("string"))
                .body("variants.purple", org.hamcrest.Matchers.equalTo("#f0f"))
                .body("defaultVariant", org.hamcrest.Matchers.equalTo("blue"))
                .body("split.weight", org.hamcrest.Matchers.equalTo(List.of(50, 50)))
                .body("rules[0].type", org.hamcrest.Matchers.equalTo("segment"))
                .body("rules[0].value", org.hamcrest.Matchers.equalTo(List.of(segment)))
                .body("rules[0].variant", org.hamcrest.Matchers.equalTo("purple"));

        // served through OFREP to the published OpenFeature provider, with the variant and the spec's reason
        OpenFeatureAPI openFeature = OpenFeatureAPI.getInstance();
        try {
            openFeature.setProviderAndWait(OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                    .baseUrl(ui.toString().replace("/admin/index.html", "")).build()));
            Client client = openFeature.getClient();
            FlagEvaluationDetails<String> member = client.getStringDetails(flag, "none", new MutableContext("vip-1"));
            assertEquals("#f0f", member.getValue(), member.toString());
            assertEquals("purple", member.getVariant());
            assertEquals("TARGETING_MATCH", member.getReason());
            MutableContext enterprise = new MutableContext("acme-" + UUID.randomUUID());
            enterprise.add("plan", "enterprise");
            assertEquals("purple", client.getStringDetails(flag, "none", enterprise).getVariant());
            String other = "someone-" + UUID.randomUUID();
            FlagEvaluationDetails<String> split = client.getStringDetails(flag, "none", new MutableContext(other));
            String drawn = io.rollgate.engine.Variants.pick(flag, other, List.of(
                    new io.rollgate.engine.Variants.Weight("blue", 50),
                    new io.rollgate.engine.Variants.Weight("green", 50))).variant();
            assertEquals(drawn, split.getVariant(), split.toString());
            assertEquals("SPLIT", split.getReason());
        } finally {
            openFeature.shutdown();
        }

        // explained per step on the flag's page
        page.getByLabel("Customer id").fill("vip-1");
        click("Explain");
        // (a live update meanwhile draws the page again, and asks the same question again)
        page.waitForSelector("#flag-explained li.decided:has-text('rule 1 (segment: " + segment + " -> purple) "
                + "matched (vip-1 is listed in segment " + segment + "): variant purple')");
        page.waitForSelector("#flag-explained li.passed:has-text('kill switch passed: not switched off')");
        page.waitForSelector("#flag-explained p:has-text('Serves purple = \"#f0f\"')");

        // the segment cannot be deleted while the flag names it: the refusal names the flag
        page.navigate(page.url().replaceAll("#.*$", "") + "#/segment/" + segment);
        page.waitForSelector("td a:text-is('" + flag + "')");
        click("Delete segment");
        giveReason("Segment in use", "Refused while flags name it");
        page.waitForSelector("#alerts :text('" + flag + "')");
        Api.viewer().get("/api/admin/segments/{k}", segment).then().statusCode(200);

        // edited on its page: one more key always in, the rule's operator changed; the flag follows at once
        page.getByLabel("Always in: targeting keys, one a line").fill("vip-1\nvip@example.com\nvip-3");
        page.getByLabel("Rule 1 operator").selectOption("in");
        page.getByLabel("Rule 1 values").fill("enterprise, business");
        click("Save");
        giveReason("Segment edit", "Every flag naming it follows at once: " + flag);
        page.waitForSelector("td:has-text('vip-3')");
        Api.viewer().get("/api/admin/segments/{k}", segment).then().statusCode(200)
                .body("included", org.hamcrest.Matchers.equalTo(List.of("vip-1", "vip-3", "vip@example.com")))
                .body("rules[0].operator", org.hamcrest.Matchers.equalTo("in"))
                .body("rules[0].value", org.hamcrest.Matchers.equalTo(List.of("enterprise", "business")))
                .body("version", org.hamcrest.Matchers.equalTo(1));
        io.restassured.RestAssured.given().contentType("application/json")
                .body(Map.of("context", Map.of("targetingKey", "vip-3"))).post("/api/flags/{n}/evaluate", flag)
                .then().statusCode(200).body("variant", org.hamcrest.Matchers.equalTo("purple"));
    }

    @Test
    void anAdminCreatesATokenSeesItsSecretOnceAndRevokesIt() {
        signIn(Api.ADMIN_TOKEN);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Tokens")).click();
        String name = "ui token " + UUID.randomUUID().toString().substring(0, 6);
        page.getByLabel("Name").fill(name);
        page.getByLabel("Role").selectOption("viewer");
        click("Create token");
        giveReason("Token from the UI", "its secret is shown once");
        page.waitForSelector("#token-value");
        String secret = page.textContent("#token-value");
        Api.as(secret).get("/api/admin/session").then().statusCode(200);
        // the tokens set in configuration are listed too, and cannot be revoked here
        assertTrue(page.textContent("tr[data-token='rollgate.security.admin-token']").contains("from configuration"));
        assertEquals(0, page.locator("tr[data-token='rollgate.security.admin-token'] button").count());

        // someone else's change redraws the page: the secret stays until dismissed, and the new token's use shows
        String flag = newFlag("ui-token-");
        Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "redraw"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        page.waitForSelector("#live:has-text('updated')");
        assertEquals(secret, page.textContent("#token-value"));
        assertTrue(page.textContent("tr:has-text('" + name + "') .last-used").matches(".*\\d{2}:\\d{2}.*"),
                page.textContent("tr:has-text('" + name + "') .last-used"));
        screenshot("tokens");
        click("Dismiss");
        assertEquals(0, page.locator("#token-value").count(), "dismissed, the secret is gone");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke " + name)).click();
        giveReason("Revoked from the UI", "refused at once");
        page.waitForSelector("tr:has-text('" + name + "') td:has-text('revoked')");
        Api.as(secret).get("/api/admin/session").then().statusCode(401);
    }

    @Test
    void anOperatorStartsACanaryFromASharedLinkAndSeesOnlyTheStepsItsStateAllows() throws Exception {
        String service = "ui-svc-" + UUID.randomUUID().toString().substring(0, 6);
        signIn(Api.ADMIN_TOKEN);
        // the link names the service: the page opens on it
        page.navigate(ui.toString() + "#/canary?service=" + service);
        page.waitForSelector("#canary-state:has-text('No deployment in flight')");
        page.getByLabel("Version to deploy").fill("v2");
        click("Start deployment");
        giveReason("Canary from the UI", "starts with 10 % of the traffic");
        page.waitForSelector("#canary-state h3:has-text('v2')");
        page.waitForSelector("#canary-services tr[data-service='" + service + "']:has-text('v2')");
        assertEquals(List.of("Advance", "Force advance", "Pause", "Rollback"),
                page.locator("#canary-state button").allTextContents());
        // the stage's criteria and the time it still runs are on the page
        assertTrue(page.textContent("#canary-criteria").contains("Canary requests: needs >= 100, is 0"),
                page.textContent("#canary-criteria"));
        assertTrue(page.textContent("#canary-criteria").contains("Time in stage: needs >= 5 min"));
        assertTrue(page.textContent("#canary-time-left").matches("Time left in this stage: [45] min \\d+ s"),
                page.textContent("#canary-time-left"));
        click("Pause");
        giveReason("Canary pause from the UI", "Traffic stays split");
        page.waitForSelector("#canary-state h3:has-text('paused')");
        assertEquals(List.of("Resume", "Rollback"), page.locator("#canary-state button").allTextContents());
        click("Resume");
        giveReason("Canary resume from the UI", "watches it again");
        page.waitForSelector("#canary-state h3:has-text('active')");
        // no traffic yet: the advance is refused and says what is missing; forcing it says it skips the checks
        click("Advance");
        giveReason("Canary advance from the UI", "if the stage criteria hold");
        page.waitForSelector("#canary-refusal li:has-text('Canary requests: needs >= 100, is 0')");
        page.waitForSelector("[role=alert]:has-text('cannot leave stage 1')");
        assertTrue(page.textContent("#canary-state h3").contains("stage 1 of 3 at 10%"));
        click("Force advance");
        giveReason("Canary forced from the UI", "without the stage checks (2 unmet); audited as forced");
        page.waitForSelector("#canary-state h3:has-text('stage 2 of 3 at 50%')");
        screenshot("canary-advanced");
        // the automation rolls it back (here: a rollback in SQL, as any replica's automation would write it):
        // the page follows without a reload
        TestDatabase.update("UPDATE canary_deployments SET status = 'rolled_back', percentage = 0, finished_at = now(),"
                + " rollback_reason = 'Automatic rollback: test', row_version = row_version + 1 WHERE service = ? AND "
                + "status = 'active'", service);
        page.waitForSelector("#canary-state:has-text('No deployment in flight')");
        assertTrue(page.textContent("#canary-state table").contains("rolled back"),
                page.textContent("#canary-state table"));
        assertTrue(page.textContent("#canary-state table").contains("Automatic rollback: test"));
        // a service nobody deploys is pointed out before a first deployment starts it
        page.getByLabel("Service").fill(service + "-typo");
        click("Show");
        page.waitForSelector("#canary-new-service:has-text('makes it a new service')");
    }

    @Test
    void twoOperatorsEditingOneCustomersOverridesLoseNeitherEdit() throws Exception {
        String customer = TestIds.customer();
        signIn(Api.ADMIN_TOKEN);
        page.navigate(ui.toString() + "#/lookup?customerId=" + customer);
        String mine = "customer override of sessionPersistence.phase2.enhancedStorage";
        page.getByLabel(mine).selectOption("true");
        assertTrue(page.isVisible("#no-organization"), "the missing organization is pointed out");

        // a colleague, in a session of their own, sets another override on the same customer meanwhile
        Page colleague = browser.newPage();
        try {
            colleague.navigate(ui.toString());
            colleague.getByLabel("API token").fill(Api.ADMIN_TOKEN);
            colleague.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            colleague.waitForSelector("#nav:not([hidden])");
            colleague.navigate(ui.toString() + "#/lookup?customerId=" + customer);
            colleague.getByLabel("customer override of sessionPersistence.phase2.retryLogic").selectOption("false");
            colleague.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save overrides")).click();
            colleague.waitForSelector("dialog#ask[open]");
            colleague.getByLabel("Reason (recorded in the audit trail)").fill("Retries off for this customer");
            colleague.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Confirm")).click();
            colleague.waitForSelector(row("sessionPersistence.phase2.retryLogic") + " td.off");
            // the cell shows the pick at once; the page stays open until the save is stored (closing it would
            // abandon the request, and the server rolls back a write whose caller went away)
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> Boolean.FALSE.equals(Api.viewer()
                    .get("/api/admin/customers/{id}/flags", customer).then().extract()
                    .path("flags.sessionPersistence.phase2.retryLogic")), "the colleague's save to be stored");
        } finally {
            colleague.close();
        }

        // the live change waits for the pick not saved yet, and the save made against the old document is refused
        assertEquals("true", page.getByLabel(mine).inputValue(), "the unsaved pick survived the live change");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save overrides")).click();
        giveReason("Beta access", "customer " + customer + ": sessionPersistence.phase2.enhancedStorage → on");
        page.waitForSelector("[role=alert]:has-text('Your changes are kept')");
        page.locator("[role=alert]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reload"))
                .click();
        // reloaded: their override shown, my pick put back on top, still to be saved
        page.waitForSelector("select[aria-label='customer override of sessionPersistence.phase2.retryLogic'] "
                + "option[value='false'][selected]",
                new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        assertEquals("true", page.getByLabel(mine).inputValue());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save overrides")).click();
        giveReason("Beta access", "sessionPersistence.phase2.enhancedStorage → on");
        page.waitForSelector(row("sessionPersistence.phase2.enhancedStorage") + " td.on");

        Api.viewer().get("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("flags.sessionPersistence.phase2.retryLogic", org.hamcrest.Matchers.equalTo(false))
                .body("flags.sessionPersistence.phase2.enhancedStorage", org.hamcrest.Matchers.equalTo(true));
        // the audit holds exactly the two leaves, each under its own operator's reason
        List<Map<String, Object>> audit = TestDatabase.query("SELECT flag_path, reason FROM feature_flag_changes "
                + "WHERE customer_id = ? ORDER BY changed_at", customer);
        assertEquals(List.of(Map.of("flag_path", "sessionPersistence.phase2.retryLogic", "reason",
                "Retries off for this customer"),
                Map.of("flag_path", "sessionPersistence.phase2.enhancedStorage",
                        "reason", "Beta access")),
                audit);
    }

    @Test
    void anOverrideShadowedByTheKillSwitchSaysSo() {
        String flag = newFlag("ui-shadow-");
        String customer = TestIds.customer();
        Api.admin().body(Overrides.body(Map.of(flag, true), "beta")).patch("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "incident"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        signIn(Api.ADMIN_TOKEN);
        page.navigate(ui.toString() + "#/lookup");
        page.getByLabel("Customer id").fill(customer);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resolve")).click();
        page.waitForSelector(row(flag) + " .shadowed");
        // the lookup is a link another operator can open
        assertTrue(page.url().endsWith("#/lookup?customerId=" + customer), page.url());
        // and the customer is listed among those holding overrides, linking back to this lookup
        page.waitForSelector("[data-holders='customerId'] a:text-is('" + customer + "')");
        assertTrue(page.textContent(row(flag)).contains("The customer override is not used: the kill switch decides."),
                page.textContent(row(flag)));
    }
}
