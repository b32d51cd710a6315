package io.switchboard.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.test.Api;
import io.switchboard.test.IntegrationTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The operator console in a real browser: Debian's chromium, headless, driven by chromium-driver (both installed by
 * .ci/run). An event the crm sink keeps refusing becomes a dead letter; the operator signs in, sees it, inspects and
 * redrives it; the crm sink receives the event and the overview's dead-letter count drops. Screenshots of every page
 * are written to target/console-screenshots/.
 *
 * <p>Without the browser the test fails: it never skips.
 */
@TestPropertySource(properties = {
        "events.sink-max-attempts=2",
        "events.sink-initial-delay=PT0.05S",
        "events.sink-max-delay=PT0.1S"
})
class ConsoleBrowserTest extends IntegrationTestBase {

    static final Path CHROMIUM = Path.of(System.getProperty("switchboard.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("switchboard.test.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final TestSinks SINKS = new TestSinks();
    /** A viewer's key (switchboard.api-keys of the test context): it may look, not act. */
    static final String VIEWER_KEY = "test-key-0003";

    static WebDriver browser;
    static Path profile;

    @DynamicPropertySource
    static void sinks(DynamicPropertyRegistry registry) {
        for (String sink : TestSinks.NAMES) {
            registry.add("events.sinks." + sink, () -> SINKS.url(sink));
        }
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        assertThat(CHROMIUM).as("chromium (apt-get install chromium; .ci/run installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver; .ci/run installs it)").isExecutable();
        // Both paths given: Selenium Manager has nothing to look up or download
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("switchboard-console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1100", "--user-data-dir=" + profile.toAbsolutePath());
        browser = new ChromeDriver(options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(profile);
        }
    }

    @Test
    void should_show_a_dead_letter_redrive_it_and_see_the_count_drop() {
        // Given: an event the crm sink refuses until Switchboard gives up on it
        SINKS.fail("crm");
        String interactionId = "int-" + UUID.randomUUID();
        String eventId = "evt-" + UUID.randomUUID();
        assertThat(api.post("/api/events", event(eventId, interactionId)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/dead-letters?source=events-sink-crm").json().path("items").size() == 1);
        assertThat(SINKS.delivered("analytics")).extracting(TestSinks.Delivery::eventId).contains(eventId);
        SINKS.heal("crm");

        // Sign in
        browser.get("http://127.0.0.1:" + port + "/console");
        screenshot("01-sign-in");
        browser.findElement(By.id("api-key")).sendKeys(Api.KEY);
        browser.findElement(By.id("sign-in")).click();

        // The overview shows the dead letter
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#dead-letter-sources tr[data-source='events-sink-crm'] .dead-letter-count"), "1"));
        assertThat(browser.findElement(By.id("dead-letter-total")).getText()).isEqualTo("1");
        assertThat(browser.getCurrentUrl()).doesNotContain(Api.KEY);
        assertThat(browser.findElement(By.cssSelector("#sinks tr[data-sink='crm']")).getText()).contains("crm");
        screenshot("02-overview-one-dead-letter");

        // The dead letters page lists it; inspect shows its payload
        browser.findElement(By.cssSelector("nav a[data-page='dead-letters']")).click();
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("dl-source")))).selectByValue("events-sink-crm");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#dl-table tr[data-source='events-sink-crm']")));
        row.findElement(By.cssSelector("button.inspect")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dl-detail-payload"), eventId));
        screenshot("03-dead-letters-inspect");

        // Redrive it, confirming in the dialog
        row.findElement(By.cssSelector("button.redrive")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
        screenshot("04-dead-letters-confirm-redrive");
        browser.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Redriven"));
        screenshot("05-dead-letters-redriven");

        // The crm sink receives the event
        await().atMost(Duration.ofSeconds(30)).until(() ->
                SINKS.delivered("crm").stream().anyMatch(d -> d.eventId().equals(eventId)));

        // The overview's dead-letter count drops
        browser.findElement(By.cssSelector("nav a[data-page='overview']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("dead-letter-total"), "0"));
        assertThat(browser.findElements(By.cssSelector("#dead-letter-sources tr[data-source]"))).isEmpty();
        screenshot("06-overview-no-dead-letters");

        // The audit page shows the redrive
        browser.findElement(By.cssSelector("nav a[data-page='audit']")).click();
        browser.findElement(By.id("audit-action")).sendKeys("dead-letter.redrive");
        browser.findElement(By.cssSelector("#audit-filter button[type='submit']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-table"), "dead-letter.redrive"));
        browser.findElement(By.cssSelector("#audit-table button.view")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-detail-body"), "events-sink-crm"));
        screenshot("07-audit");

        // The events page shows the interaction's event, delivered to every sink
        browser.findElement(By.cssSelector("nav a[data-page='events']")).click();
        browser.findElement(By.id("interaction-id")).sendKeys(interactionId);
        browser.findElement(By.id("events-lookup")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("li[data-event-id='" + eventId + "'] tr[data-sink='crm'] .state"), "delivered"));
        screenshot("08-events");
    }

    @Test
    void should_show_a_viewer_no_action_buttons_and_refuse_its_redrive() {
        // Given: a dead letter of the crm sink
        SINKS.fail("crm");
        String eventId = "evt-" + UUID.randomUUID();
        assertThat(api.post("/api/events", event(eventId, "int-" + UUID.randomUUID())).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> letterOf(eventId) != null);
        SINKS.heal("crm");
        String letterId = letterOf(eventId);
        try {
            // A viewer signs in (the admin's key of another test is forgotten first)
            browser.get("http://127.0.0.1:" + port + "/console");
            ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
            browser.navigate().refresh();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(VIEWER_KEY);
            browser.findElement(By.id("sign-in")).click();

            // It sees the dead letter, and no button to act on it
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("nav a[data-page='dead-letters']"))).click();
            new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("dl-source")))).selectByValue("events-sink-crm");
            WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#dl-table tr[data-id='" + letterId + "']")));
            assertThat(row.findElements(By.cssSelector("button.redrive, button.discard"))).isEmpty();
            assertThat(browser.findElement(By.id("dl-redrive-all")).isDisplayed()).isFalse();
            screenshot("09-viewer-no-actions");

            // Tried anyway, the redrive is refused, naming the role it needs
            Api.Response refused = api.send("POST", "/api/dead-letters/" + letterId + "/redrive", null,
                    Map.of("X-API-Key", VIEWER_KEY));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("requiredRole").asText()).isEqualTo("admin");
        } finally {
            ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
            api.delete("/api/dead-letters/" + letterId);
        }
    }

    /** The id of the crm sink's dead letter of this event, or null while there is none. */
    private String letterOf(String eventId) {
        for (var letter : api.get("/api/dead-letters?source=events-sink-crm").json().path("items")) {
            if (letter.toString().contains(eventId)) {
                return letter.path("id").asText();
            }
        }
        return null;
    }

    private static String event(String id, String interactionId) {
        return Api.json(Map.of(
                "version", "0",
                "id", id,
                "detail-type", "Interaction.Lifecycle.StageChanged",
                "source", "com.nice.cxone.interactions",
                "account", "123456789012",
                "time", "2025-01-15T10:00:00Z",
                "region", "us-east-1",
                "resources", java.util.List.of(),
                "detail", Map.of("interaction.id", interactionId, "participant.id", "agent-7",
                        "stage", "Queued", "state", "Active")));
    }

    private static void screenshot(String name) {
        try {
            Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("could not save screenshot " + name, e);
        }
    }
}
